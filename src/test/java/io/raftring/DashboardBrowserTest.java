package io.raftring;

import static org.assertj.core.api.Assertions.assertThat;

import akka.cluster.typed.Cluster;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.raftring.security.BearerTokens;
import io.raftring.security.Role;
import io.raftring.security.TokenRegistry;
import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's headless Chromium, driven through its chromedriver by Selenium, against
 * three in-JVM nodes that ask for bearer tokens. The page asks for a token and then lists every group with its
 * leader; its key box names the group {@code ?explain=true} names; when the node cannot reach another the page says
 * so; a stopped node is marked down and its groups show new leaders. Screenshots go to {@code target/}. Without Chromium the test fails, saying what to install: CI
 * installs it (.ci/run), so a silent skip would hide a broken dashboard.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

  private static final Path CHROMIUM = Paths.get(System.getProperty("raftring.test.chromium", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER =
      Paths.get(System.getProperty("raftring.test.chromedriver", "/usr/bin/chromedriver"));
  private static final List<String> NODES = List.of("n1", "n2", "n3");
  private static final int GROUPS = 4;
  /** How long the page may take to show what the cluster did: its polls are a second apart, on a loaded machine. */
  private static final Duration PAGE_CATCHES_UP = Duration.ofSeconds(20);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String READER = BearerTokens.generate(RANDOM);
  private static final String ADMIN = BearerTokens.generate(RANDOM);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir static Path tmp;

  private static LocalCluster cluster;
  private static ChromeDriverService driverService;
  private static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .withFailMessage("The dashboard's browser test needs Chromium and its driver at %s and %s: "
            + "apt-get install -y chromium chromium-driver (.ci/run installs them)", CHROMIUM, CHROMEDRIVER)
        .isTrue();
    Path tokens = tmp.resolve("tokens");
    Files.writeString(tokens, TokenRegistry.line("viewer", Role.READ, READER) + "\n"
        + TokenRegistry.line("root", Role.ADMIN, ADMIN) + "\n");
    cluster = LocalCluster.start(NODES, GROUPS, ConfigFactory.parseString(String.join("\n",
        "raftring.http.auth.tokens-file = \"" + tokens.toString().replace("\\", "/") + "\"",
        // To cut n1 off from n3 (Artery's blackhole): /v1/test/partition, admin only.
        "raftring.test.fault-injection = on",
        "akka.remote.artery.advanced.test-mode = on")));
    browser = startChromium(tmp.resolve("chromium-profile"));
    new WebDriverWait(browser, Duration.ofSeconds(60)).pollingEvery(Duration.ofMillis(200))
        .until(b -> NODES.stream().allMatch(n -> status(n, "/health/ready", null) == 200));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (driverService != null) {
      driverService.stop();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static WebDriver startChromium(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // Headless on a machine without a network: no sandbox (root in a container), no GPU, nothing fetched at start.
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1440,900", "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    driverService = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().withLogFile(new File("target/chromedriver.log")).build();
    return new ChromeDriver(driverService, options);
  }

  @Test
  @Order(1)
  void withoutATokenThePageAsksForOneAndWithItListsEveryGroupWithALeader() throws Exception {
    browser.get(pageOf("n1"));
    waitFor("the page to ask for a token", b -> text("#banner").contains("bearer token with role read"));

    browser.findElement(By.id("token")).sendKeys(READER);
    browser.findElement(By.cssSelector("#token-form button[type=submit]")).click();

    waitFor("every group with a leader", b -> {
      Map<String, String> leaders = leadersOnPage();
      return leaders.size() == GROUPS && leaders.values().stream().noneMatch(String::isEmpty);
    });
    waitFor("every node up", b -> NODES.stream().allMatch(n -> "up".equals(nodeState(n))));
    waitFor("the ring drawn with every node's virtual nodes", b -> count("#ring path.vnodes") == NODES.size());
    assertThat(text("#banner")).isEmpty();
    // Requests answered by one node show on that node's card: each node's series reaches the page through n1.
    for (int i = 0; i < 20; i++) {
      assertThat(send("n2", "PUT", "/v1/kv/dashboard-" + i, ADMIN).statusCode()).isEqualTo(200);
    }
    waitFor("n2's card to count its 20 writes", b -> requestsOnCard("n2") >= 20);
    // What the page shows of each group is what /v1/cluster says.
    waitFor("the page to agree with /v1/cluster", b -> leadersOnPage().equals(leadersFromApi("n1")));
    screenshot("dashboard.png");
  }

  @Test
  @Order(2)
  void theKeyBoxShowsTheGroupThatExplainNames() throws Exception {
    String key = "user/42";
    WebElement input = browser.findElement(By.id("key"));
    input.clear();
    input.sendKeys(key);
    browser.findElement(By.cssSelector("#key-form button[type=submit]")).click();

    JsonNode explain = getJson("n1", "/v1/kv/" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "?explain=true");
    waitFor("the key box to name the key's group",
        b -> explain.get("group").asText().equals(text("#key-result [data-field=group]")));
    assertThat(text("#key-result [data-field=replicas]")).contains(explain.get("replicas").get(0).asText());
    assertThat(text("#key-result")).contains(Long.toString(explain.get("hash").asLong()));
    // Its group is selected: highlighted in the table and its arc drawn on the ring, the key's hash a needle on it.
    assertThat(hasClass("#groups tr[data-group='" + explain.get("group").asText() + "']", "selected")).isTrue();
    assertThat(count("#ring .selected-arc")).isEqualTo(1);
    assertThat(count("#ring .key-needle")).isEqualTo(1);
  }

  @Test
  @Order(3)
  void whenTheNodeCannotReachAnotherThePageSaysSoPlainly() throws Exception {
    String n1 = artery("n1");
    String n3 = artery("n3");
    try {
      partition("n1", n3);
      partition("n3", n1);

      waitFor("n3 marked unreachable", b -> "unreachable".equals(nodeState("n3")));
      waitFor("the banner to say so", b -> text("#banner").contains("n1 cannot reach n3"));
      screenshot("dashboard-unreachable.png");
    } finally {
      send("n1", "POST", "/v1/test/heal", ADMIN, "");
      send("n3", "POST", "/v1/test/heal", ADMIN, "");
    }
    waitFor("n3 up again and the banner gone", b -> "up".equals(nodeState("n3")) && text("#banner").isEmpty());
  }

  @Test
  @Order(4)
  void aStoppedNodeIsMarkedDownAndItsGroupsShowNewLeaders() throws Exception {
    String victim = "n3";
    if (!leadersFromApi("n1").containsValue(victim)) {
      // So that stopping it takes leaders away: hand it one group first (an admin request, not the page's).
      String group = leadersFromApi("n1").keySet().iterator().next();
      assertThat(send("n1", "POST", "/v1/admin/groups/" + group + "/leader/" + victim, ADMIN).statusCode())
          .isEqualTo(200);
      waitFor(victim + " to lead " + group, b -> victim.equals(leadersOnPage().get(group)));
    }
    Set<String> itLed = new java.util.TreeSet<>();
    leadersOnPage().forEach((group, leader) -> {
      if (leader.equals(victim)) {
        itLed.add(group);
      }
    });

    long stopped = System.nanoTime();
    cluster.stopNode(victim);

    waitFor(victim + " marked down", b -> Set.of("absent", "down", "unreachable").contains(nodeState(victim)));
    waitFor("new leaders for " + itLed, b -> {
      Map<String, String> leaders = leadersOnPage();
      return leaders.size() == GROUPS && leaders.values().stream().noneMatch(l -> l.isEmpty() || l.equals(victim));
    });
    System.out.printf("dashboard: %s marked down and %s led elsewhere %d ms after the node was stopped%n", victim,
        itLed, Duration.ofNanos(System.nanoTime() - stopped).toMillis());
    screenshot("dashboard-node-down.png");
    assertThat(severeBrowserLogs()).as("errors in the browser's console").isEmpty();
  }

  // ---- the page ----

  private static String pageOf(String node) {
    return "http://127.0.0.1:" + cluster.httpPort(node) + "/ui/";
  }

  private static void waitFor(String what, java.util.function.Function<WebDriver, Boolean> condition) {
    new WebDriverWait(browser, PAGE_CATCHES_UP).pollingEvery(Duration.ofMillis(200))
        .ignoring(StaleElementReferenceException.class)
        .withMessage(() -> "waiting for " + what + "; the page says: " + text("#summary") + " | " + text("#banner"))
        .until(condition);
  }

  // The page redraws what changed once a second, so it is read in single script calls rather than element by element.

  private static Object script(String js, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(js, args);
  }

  private static String text(String css) {
    return (String) script("const e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : '';", css);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> leadersOnPage() {
    return (Map<String, String>) script("const leaders = {};"
        + " document.querySelectorAll('#groups tbody tr').forEach(r => { leaders[r.dataset.group] = r.dataset.leader; });"
        + " return leaders;");
  }

  private static String nodeState(String node) {
    return (String) script("const e = document.querySelector('#nodes article[data-node=\"' + arguments[0] + '\"]');"
        + " return e ? e.dataset.state : '';", node);
  }

  private static long requestsOnCard(String node) {
    return (Long) script("const e = document.querySelector('#nodes article[data-node=\"' + arguments[0] + '\"]');"
        + " return e ? Number(e.dataset.requests) : 0;", node);
  }

  private static boolean hasClass(String css, String name) {
    return (Boolean) script("const e = document.querySelector(arguments[0]);"
        + " return !!e && e.classList.contains(arguments[1]);", css, name);
  }

  private static long count(String css) {
    return (Long) script("return document.querySelectorAll(arguments[0]).length;", css);
  }

  private static void screenshot(String name) throws Exception {
    Path file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.createDirectories(Paths.get("target"));
    Files.copy(file, Paths.get("target", name), StandardCopyOption.REPLACE_EXISTING);
  }

  /** Console errors, except the 401s the page met before it had a token (the browser logs every failed fetch). */
  private static List<String> severeBrowserLogs() {
    List<String> severe = new ArrayList<>();
    for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.SEVERE.intValue() && !entry.getMessage().contains("status of 401")) {
        severe.add(entry.getMessage());
      }
    }
    return severe;
  }

  // ---- the API, for comparison ----

  private static Map<String, String> leadersFromApi(String node) {
    Map<String, String> leaders = new HashMap<>();
    getJson(node, "/v1/cluster").get("groups").forEach(g ->
        leaders.put(g.get("group").asText(), g.get("leader").isNull() ? "" : g.get("leader").asText()));
    return leaders;
  }

  private static JsonNode getJson(String node, String path) {
    try {
      HttpResponse<String> res = send(node, "GET", path, READER);
      assertThat(res.statusCode()).as(path).isEqualTo(200);
      return JSON.readTree(res.body());
    } catch (Exception e) {
      throw new AssertionError("GET " + path + " on " + node + ": " + e, e);
    }
  }

  private static int status(String node, String path, String token) {
    try {
      return send(node, "GET", path, token).statusCode();
    } catch (Exception e) {
      return 0;
    }
  }

  private static String artery(String node) {
    return Cluster.get(cluster.node(node).system()).selfMember().address().toString();
  }

  /** Tells {@code node} to drop all traffic to and from the node at Artery address {@code peer}. */
  private static void partition(String node, String peer) throws Exception {
    HttpResponse<String> res = send(node, "POST", "/v1/test/partition", ADMIN, "{\"blackhole\":[\"" + peer + "\"]}");
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
  }

  private static HttpResponse<String> send(String node, String method, String path, String token) throws Exception {
    return send(node, method, path, token, null);
  }

  private static HttpResponse<String> send(String node, String method, String path, String token, String json)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + cluster.httpPort(node) + path))
        .timeout(Duration.ofSeconds(10)).method(method, json == null
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
