package com.llmchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time the server side spent (user + system, from /proc): the WildFly processes (one, or the
 * servers of a cluster), the balancer in front of a cluster with its workers, and PostgreSQL's
 * postmaster with every process it forked. A backend that exits between two readings takes its time
 * with it; the server's pool keeps its connections, so that does not happen while measuring.
 */
final class ServerCpu {

  private final List<Long> wildfly;
  private final long postmaster;
  private final long balancer;
  private final long ticksPerSecond;

  ServerCpu(List<Long> wildfly, long postmaster, long balancer, long ticksPerSecond) {
    this.wildfly = wildfly;
    this.postmaster = postmaster;
    this.balancer = balancer;
    this.ticksPerSecond = ticksPerSecond;
  }

  /** A reading: nanoseconds of CPU per process id. */
  Map<Long, Long> read() {
    Map<Long, Long> cpu = new HashMap<>();
    for (long server : wildfly) {
      ticks(server).ifPresent(t -> cpu.put(server, t));
    }
    withChildren(postmaster, cpu);
    withChildren(balancer, cpu);
    cpu.replaceAll((pid, ticks) -> ticks * 1_000_000_000L / ticksPerSecond);
    return cpu;
  }

  /** The process and every process it forked, into {@code cpu}. */
  private void withChildren(long root, Map<Long, Long> cpu) {
    if (root <= 0) {
      return;
    }
    ticks(root).ifPresent(t -> cpu.put(root, t));
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      processes
          .map(p -> p.getFileName().toString())
          .filter(name -> name.chars().allMatch(Character::isDigit))
          .map(Long::parseLong)
          .filter(pid -> parent(pid) == root)
          .forEach(pid -> ticks(pid).ifPresent(t -> cpu.put(pid, t)));
    } catch (IOException e) {
      // no /proc: no figures
    }
  }

  /** Nanoseconds spent between two readings (a process new in the second counts from zero). */
  static long spent(Map<Long, Long> before, Map<Long, Long> after) {
    long total = 0;
    for (var process : after.entrySet()) {
      total += process.getValue() - before.getOrDefault(process.getKey(), 0L);
    }
    return total;
  }

  /** The part of {@link #spent} that PostgreSQL's processes spent. */
  long spentByDatabase(Map<Long, Long> before, Map<Long, Long> after) {
    long total = 0;
    for (var process : after.entrySet()) {
      long pid = process.getKey();
      if (!wildfly.contains(pid) && pid != balancer && parent(pid) != balancer) {
        total += process.getValue() - before.getOrDefault(process.getKey(), 0L);
      }
    }
    return total;
  }

  /** The fields after the command name, which may itself hold spaces and parentheses. */
  private static String[] fields(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
  }

  private static long parent(long pid) {
    try {
      return Long.parseLong(fields(pid)[1]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static java.util.Optional<Long> ticks(long pid) {
    try {
      String[] f = fields(pid);
      // utime and stime: fields 14 and 15 of stat, 12 and 13 after the name
      return java.util.Optional.of(Long.parseLong(f[11]) + Long.parseLong(f[12]));
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }
}
