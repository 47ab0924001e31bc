package com.llmchat.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * History search at the size of a large installation: {@code --messages} (default 1,000,000)
 * messages of English and Chinese text in {@code --users} users' conversations, one of whom (the
 * caller, {@code --messages / --users} messages: 50,000 by default) searches; queries of several
 * kinds drawn from the same vocabulary as the text, timed over HTTP ({@code GET /api/v1/search},
 * the access token checked as for any call). The messages are written straight into the database
 * (through the API they would take hours); the search index is PostgreSQL's, built as it would be.
 *
 * <pre>
 * bin/llmchat bench --search [--messages=1000000] [--users=20] [--queries=400]
 * </pre>
 */
final class SearchBench {

  static final String START = "<!-- search-bench:start (written by bin/llmchat bench --search) -->";
  static final String END = "<!-- search-bench:end -->";

  /** Words of the English text, most frequent first (the text draws them with a skew). */
  static final String[] ENGLISH =
      ("the of and to a in is you that it he was for on are as with his they at be this have"
              + " from or one had by word but not what all were we when your can said there use an"
              + " each which she do how their if will up other about out many then them these so"
              + " some her would make like him into time has look two more write go see number no"
              + " way could people my than first water been call who oil its now find long down"
              + " day did get come made may part model data server token stream request response"
              + " error timeout cluster database query index search memory thread latency"
              + " throughput budget limit group permission provider gateway deploy docker"
              + " kubernetes backup restore upgrade configuration password account login"
              + " directory certificate python java vllm ollama qwen deepseek embedding context"
              + " window prompt reasoning answer question summary report meeting schedule project"
              + " customer invoice contract policy security audit network proxy")
          .split(" ");

  /** Words of the Chinese text (written without spaces), most frequent first. */
  static final String[] CHINESE =
      ("我们 数据 模型 服务器 问题 可以 这个 一个 没有 什么 时候 需要 因为 所以 如果 但是 已经 还是 现在 工作 公司 项目"
              + " 客户 合同 会议 报告 系统 部署 配置 密码 账号 登录 目录 证书 网络 代理 安全 审计 预算 限制 分组 权限 接口 网关"
              + " 推理 回答 总结 上下文 提示词 向量 检索 集群 备份 恢复 升级 文档 中文 英文 翻译 代码 测试 性能 延迟 吞吐 内存"
              + " 线程 索引 查询 错误 超时 请求 响应 流式 令牌 用户 管理员 设置 参数 温度 长度 图片 文件 附件 导出 导入 标题"
              + " 搜索 历史 记录 今天 明天 昨天 上午 下午 北京 上海 深圳 杭州 华为 阿里 腾讯 百度 智谱 通义 千问 深度 求索")
          .split(" ");

  private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

  private final Map<String, String> options;
  private final URI app;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final Random random = new Random(17);
  private final AppCalls calls;

  SearchBench(Map<String, String> options) {
    this.options = options;
    this.app = URI.create(required("app"));
    this.calls = new AppCalls(http, app);
  }

  void run() throws Exception {
    int messages = Integer.parseInt(options.getOrDefault("messages", "1000000"));
    int users = Integer.parseInt(options.getOrDefault("users", "20"));
    int perUser = messages / users;
    String admin = calls.accessToken("admin", required("admin-password"));
    String callerToken = null;
    long seeding = System.nanoTime();
    try (Connection db =
        DriverManager.getConnection(
            required("db-url"), required("db-user"), required("db-password"))) {
      for (int u = 0; u < users; u++) {
        String username = "search-" + UUID.randomUUID().toString().substring(0, 8);
        String password = UUID.randomUUID().toString();
        var created =
            calls.post(
                "/api/v1/admin/users",
                admin,
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
        Matcher id = ID.matcher(created.body());
        if (created.statusCode() != 201 || !id.find()) {
          throw new IllegalStateException("cannot create a user: " + created.body());
        }
        seed(db, Long.parseLong(id.group(1)), perUser);
        say("seeded " + ((u + 1) * (long) perUser) + " messages");
        if (u == 0) {
          callerToken = calls.accessToken(username, password);
        }
      }
      try (var analyze = db.createStatement()) {
        analyze.execute("vacuum analyze message");
        analyze.execute("vacuum analyze conversation");
      }
    }
    long seeded = System.nanoTime() - seeding;
    Map<String, Histogram> kinds = new LinkedHashMap<>();
    Histogram all = Bench.histogram();
    int queries = Integer.parseInt(options.getOrDefault("queries", "400"));
    List<String> warmUp = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      warmUp.add(query(i % 6).query());
    }
    for (String query : warmUp) {
      search(callerToken, query);
    }
    for (int i = 0; i < queries; i++) {
      Query query = query(i % 6);
      long started = System.nanoTime();
      int hits = search(callerToken, query.query());
      long took = System.nanoTime() - started;
      all.recordValue(took);
      kinds.computeIfAbsent(query.kind(), kind -> Bench.histogram()).recordValue(took);
      if (i < 6) {
        say(query.kind() + " '" + query.query() + "': " + hits + " hits, " + ms(took));
      }
    }
    String section = markdown(messages, users, perUser, seeded, kinds, all);
    Path out = Path.of(options.getOrDefault("out", "performance.md"));
    String document = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
    Files.writeString(out, into(document, section), StandardCharsets.UTF_8);
    say("wrote " + out.toAbsolutePath());
  }

  record Query(String kind, String query) {}

  /** Queries of six kinds in turn, their words drawn like the text's. */
  private Query query(int kind) {
    return switch (kind) {
      case 0 -> new Query("one English word", english());
      case 1 -> new Query("two English words", english() + " " + english());
      case 2 -> new Query("one Chinese word (2+ characters)", chinese());
      case 3 -> new Query("two Chinese words, adjacent", chinese() + chinese());
      case 4 -> new Query("one Chinese character", chinese().substring(0, 1));
      default -> new Query("a word in no message", "zq" + random.nextInt(1_000_000));
    };
  }

  private String english() {
    return ENGLISH[skewed(ENGLISH.length)];
  }

  private String chinese() {
    return CHINESE[skewed(CHINESE.length)];
  }

  /** An index into a vocabulary of {@code size} words, the first ones the most frequent. */
  private int skewed(int size) {
    return (int) (Math.pow(random.nextDouble(), 2.5) * size);
  }

  /**
   * One user's conversations (20 messages each) and messages, written by the database itself: a
   * third Chinese, the rest English, of 20 to 200 words (about 350 characters on average).
   */
  private static void seed(Connection db, long owner, int messages) throws SQLException {
    int conversations = Math.max(1, messages / 20);
    try (PreparedStatement insert =
        db.prepareStatement(
            "insert into conversation (id, owner_id, title, title_source, model, next_position,"
                + " created_at, updated_at, version)"
                + " select nextval('conversation_seq'), ?, 'Conversation ' || g, 'USER', 'demo',"
                + " 20, now(), now(), 0 from generate_series(1, ?) g")) {
      insert.setLong(1, owner);
      insert.setInt(2, conversations);
      insert.executeUpdate();
    }
    String words = "array['" + String.join("','", ENGLISH) + "']";
    String chinese = "array['" + String.join("','", CHINESE) + "']";
    try (PreparedStatement insert =
        db.prepareStatement(
            "with c as (select id, row_number() over (order by id) - 1 as n from conversation"
                + " where owner_id = ?), e as (select "
                + words
                + " as a), z as (select "
                + chinese
                + " as a)"
                + " insert into message (id, conversation_id, owner_id, position, role, content,"
                + " status, superseded, created_at, version)"
                + " select nextval('message_seq'), c.id, ?, g % 20,"
                + " case when g % 2 = 0 then 'USER' else 'ASSISTANT' end,"
                + " case when g % 3 = 0 then (select string_agg(z.a[1 + floor(power(random(),"
                + " 2.5) * array_length(z.a, 1))::int + 0 * i], '') from generate_series(1, 20 +"
                + " (g % 7) * 30) i)"
                + " else (select string_agg(e.a[1 + floor(power(random(), 2.5) *"
                + " array_length(e.a, 1))::int + 0 * i], ' ') from generate_series(1, 15 + (g %"
                + " 7) * 25) i) end,"
                + " 'COMPLETE', false, now(), 0"
                + " from generate_series(0, ? - 1) g, e, z, c where c.n = g / 20")) {
      insert.setLong(1, owner);
      insert.setLong(2, owner);
      insert.setInt(3, messages);
      insert.executeUpdate();
    }
  }

  private int search(String token, String query) throws IOException, InterruptedException {
    var response =
        http.send(
            HttpRequest.newBuilder(
                    app.resolve(
                        "/api/v1/search?limit=20&q="
                            + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "search '" + query + "': " + response.statusCode() + " " + response.body());
    }
    return response.body().split("\"messageId\"", -1).length - 1;
  }

  private String markdown(
      int messages,
      int users,
      int perUser,
      long seededNanos,
      Map<String, Histogram> kinds,
      Histogram all) {
    StringBuilder text =
        new StringBuilder("## History search, measured ")
            .append(
                ZonedDateTime.now(ZoneOffset.UTC)
                    .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
            .append(" UTC\n\n")
            .append(
                String.format(
                    Locale.ROOT,
                    "%,d messages (a third Chinese, about 350 characters each) of %d users, written"
                        + " and indexed in %.0f s; the caller owns %,d of them. %d queries over HTTP"
                        + " (`GET /api/v1/search?limit=20`), one after another, after 50 to warm"
                        + " up; %s.\n\n",
                    messages,
                    users,
                    seededNanos / 1e9,
                    perUser,
                    all.getTotalCount(),
                    options.getOrDefault(
                        "pinning", "not pinned: the server and this driver share CPUs")))
            .append("| query | p50 | p95 | p99 | max |\n|---|---|---|---|---|\n");
    kinds.forEach((kind, times) -> text.append(row(kind, times)));
    text.append(row("**all**", all)).append("\nTarget: p95 < 100 ms over all queries.\n\n");
    return text.toString();
  }

  private static String row(String kind, Histogram times) {
    return "| "
        + kind
        + " | "
        + ms(times.getValueAtPercentile(50))
        + " | "
        + ms(times.getValueAtPercentile(95))
        + " | "
        + ms(times.getValueAtPercentile(99))
        + " | "
        + ms(times.getMaxValue())
        + " |\n";
  }

  static String into(String document, String section) {
    int start = document.indexOf(START);
    int end = document.indexOf(END);
    if (start < 0 || end < start) {
      return document + "\n" + START + "\n" + section + END + "\n";
    }
    return document.substring(0, start + START.length()) + "\n" + section + document.substring(end);
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1_000_000.0);
  }

  private String required(String name) {
    return AppCalls.required(options, name);
  }

  private static void say(String text) {
    System.out.println("search bench: " + text);
  }
}
