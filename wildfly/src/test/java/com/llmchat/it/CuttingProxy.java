package com.llmchat.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a server that can cut every connection passing through it at once: a
 * network blip, as a client sees it (its connection breaks mid-reply) and as the server sees it.
 * New connections pass again right after.
 */
final class CuttingProxy implements AutoCloseable {

  private final ServerSocket listener;
  private volatile InetSocketAddress target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

  /** A proxy on a free port of 127.0.0.1 to {@code base} (http://host:port). */
  CuttingProxy(String base) throws IOException {
    URI uri = URI.create(base);
    target = new InetSocketAddress(uri.getHost(), uri.getPort());
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon(this::accept);
  }

  /** The proxy's base URL, http://127.0.0.1:port. */
  String url() {
    return "http://127.0.0.1:" + listener.getLocalPort();
  }

  /** New connections go to {@code base} from now on (those open stay where they are). */
  void retarget(String base) {
    URI uri = URI.create(base);
    target = new InetSocketAddress(uri.getHost(), uri.getPort());
  }

  /** Breaks every connection now passing through. */
  void cut() {
    for (Socket socket : open) {
      close(socket);
    }
    open.clear();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket();
        server.connect(target, 5_000);
        open.add(client);
        open.add(server);
        pump(client, server);
        pump(server, client);
      } catch (IOException e) {
        if (listener.isClosed()) {
          return;
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    daemon(
        () -> {
          byte[] buffer = new byte[8192];
          try (InputStream in = from.getInputStream();
              OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
              out.write(buffer, 0, read);
              out.flush();
            }
          } catch (IOException gone) {
            // cut, or one side closed
          } finally {
            close(from);
            close(to);
            open.remove(from);
            open.remove(to);
          }
        });
  }

  private static void daemon(Runnable task) {
    Thread thread = new Thread(task, "cutting-proxy");
    thread.setDaemon(true);
    thread.start();
  }

  private static void close(Socket socket) {
    try {
      // a reset, as a broken network leaves it, rather than an orderly end of the stream
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException ignored) {
      // closed already
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    cut();
  }
}
