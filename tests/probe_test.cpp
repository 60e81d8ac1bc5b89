// `vigil probe`, the built binary, against real servers on loopback: the
// verdicts, the one-line messages, and the absolute deadline.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "dns_server.h"
#include "process_harness.h"
#include "scripted_server.h"
#include "strict_json.h"

using namespace vigil_test;
using namespace std::chrono_literals;

namespace {

RunOutput probe(std::vector<std::string> arguments, const ProcessOptions& options = {}) {
    arguments.insert(arguments.begin(), {vigil_binary(), "probe"});
    return run(arguments, 20s, options);
}

// The probe's one line: what a person reads in `docker inspect`.
std::string line_of(const RunOutput& output) {
    EXPECT_EQ(output.out.find('\n'), output.out.size() - 1) << "not one line: " << output.out;
    EXPECT_LE(output.out.size(), 201u) << output.out;
    return output.out.substr(0, output.out.find('\n'));
}

ServerScript replying(const std::string& reply) {
    ServerScript script;
    script.reply = reply;
    return script;
}

std::string port_text(const ScriptedServer& server) {
    return std::to_string(server.port());
}

#define ASSERT_LISTENING(server) ASSERT_TRUE((server).listening()) << "cannot start a test server"

}  // namespace

TEST(Probe, JudgesStatusesBy200To399ByDefault) {
    for (int status : {200, 204, 301, 404, 500, 503}) {
        ScriptedServer server("127.0.0.1", replying(http_reply(status)));
        ASSERT_LISTENING(server);
        RunOutput output = probe({server.url()});
        bool healthy = status < 400;
        EXPECT_EQ(output.result.exit_code, healthy ? 0 : 1) << status << ": " << output.out;
        std::string expected = std::string(healthy ? "healthy" : "unhealthy") + ": HTTP " +
                               std::to_string(status) + " from 127.0.0.1:" + port_text(server) +
                               " in ";
        EXPECT_EQ(line_of(output).rfind(expected, 0), 0u) << output.out;
        EXPECT_NE(output.out.find(" ms"), std::string::npos) << output.out;
    }
}

TEST(Probe, StatusOptionDecidesWhatIsHealthy) {
    ScriptedServer redirect("127.0.0.1", replying(http_reply(301)));
    ASSERT_LISTENING(redirect);
    EXPECT_EQ(probe({"-s", "200", redirect.url()}).result.exit_code, 1);
    EXPECT_EQ(probe({"--status", "200,301", redirect.url()}).result.exit_code, 0);
    ScriptedServer unavailable("127.0.0.1", replying(http_reply(503)));
    ASSERT_LISTENING(unavailable);
    EXPECT_EQ(probe({"-s", "5xx", unavailable.url()}).result.exit_code, 0);
    EXPECT_EQ(probe({"-s", "200-499", unavailable.url()}).result.exit_code, 1);
    RunOutput output = probe({unavailable.url()}, {.environment = {"VIGIL_PROBE_STATUS=503"}});
    EXPECT_EQ(output.result.exit_code, 0) << output.out;
}

TEST(Probe, SkipsEarlyHintsAndReadsTheFinalStatus) {
    ScriptedServer server(
        "127.0.0.1",
        replying("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n" + http_reply(200)));
    ASSERT_LISTENING(server);
    RunOutput output = probe({server.url()});
    EXPECT_EQ(output.result.exit_code, 0) << output.out;
    EXPECT_NE(output.out.find("HTTP 200"), std::string::npos) << output.out;
}

TEST(Probe, NeverReadsTheBody) {
    // Chunked, on a connection the server keeps open: the verdict comes
    // from the headers, without waiting for the body or the close.
    ServerScript chunked =
        replying("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
    chunked.hang = true;
    ScriptedServer open_server("127.0.0.1", chunked);
    ASSERT_LISTENING(open_server);
    RunOutput output = probe({"-t", "5s", open_server.url()});
    EXPECT_EQ(output.result.exit_code, 0) << output.out;
    EXPECT_LT(output.result.elapsed, 2s);

    ServerScript endless = replying("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n");
    endless.endless_body = true;
    ScriptedServer endless_server("127.0.0.1", endless);
    ASSERT_LISTENING(endless_server);
    output = probe({"-t", "5s", endless_server.url()});
    EXPECT_EQ(output.result.exit_code, 0) << output.out;
    EXPECT_LT(output.result.elapsed, 2s);
}

TEST(Probe, GivesUpOnAMegabyteOfHeaders) {
    std::string headers = "HTTP/1.1 200 OK\r\n";
    while (headers.size() < 1024 * 1024) headers += "X-Padding: " + std::string(1000, 'p') + "\r\n";
    ServerScript script = replying(headers + "\r\n");
    ScriptedServer server("127.0.0.1", script);
    ASSERT_LISTENING(server);
    RunOutput output = probe({server.url()});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_EQ(line_of(output),
              "unhealthy: response headers from 127.0.0.1:" + port_text(server) + " exceed 16 KiB");
}

TEST(Probe, GivesUpOnASilentServerAtTheDeadline) {
    ServerScript silent;
    silent.hang = true;
    ScriptedServer server("127.0.0.1", silent);
    ASSERT_LISTENING(server);
    RunOutput output = probe({"-t", "1s", server.url()});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_GE(output.result.elapsed, 1000ms);
    EXPECT_LT(output.result.elapsed, 1300ms);
    EXPECT_EQ(
        line_of(output),
        "unhealthy: timed out after 1s waiting for a response from 127.0.0.1:" + port_text(server));
}

TEST(Probe, GivesUpOnADrippingServerAtTheDeadline) {
    ServerScript dripping = replying(http_reply(200));
    dripping.drip_ms = 1000;
    ScriptedServer server("127.0.0.1", dripping);
    ASSERT_LISTENING(server);
    RunOutput output = probe({"--timeout", "2500ms", server.url()});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_GE(output.result.elapsed, 2500ms);
    EXPECT_LT(output.result.elapsed, 2800ms);
    std::string line = line_of(output);
    EXPECT_EQ(line.rfind("unhealthy: timed out after 2.5s reading the response headers from "
                         "127.0.0.1:" +
                             port_text(server) + " (",
                         0),
              0u)
        << line;
    EXPECT_NE(line.find(" bytes received)"), std::string::npos) << line;
}

TEST(Probe, ReportsAConnectionClosedWithoutAnswer) {
    ServerScript closing;
    closing.close_at_once = true;
    ScriptedServer server("127.0.0.1", closing);
    ASSERT_LISTENING(server);
    RunOutput output = probe({server.url()});
    EXPECT_EQ(output.result.exit_code, 1);
    // A close with the request unread makes the kernel send a reset; which
    // the probe sees first depends on timing.
    std::string line = line_of(output);
    std::string by = " by 127.0.0.1:" + port_text(server) + " without a response";
    EXPECT_TRUE(line == "unhealthy: connection closed" + by ||
                line == "unhealthy: connection reset" + by)
        << line;

    ScriptedServer partial("127.0.0.1", replying("HTTP/1.1 200 OK\r\nServer: half"));
    ASSERT_LISTENING(partial);
    output = probe({partial.url()});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_NE(output.out.find("connection closed by 127.0.0.1:" + port_text(partial) +
                              " after 29 bytes, before the end of the response headers"),
              std::string::npos)
        << output.out;
}

TEST(Probe, NamesWhatAnsweredWhenItIsNotHttp) {
    ServerScript ssh = replying("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
    ssh.read_request = false;
    ssh.hang = true;
    ScriptedServer server("127.0.0.1", ssh);
    ASSERT_LISTENING(server);
    RunOutput output = probe({server.url()});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_EQ(line_of(output),
              "unhealthy: not an HTTP response from 127.0.0.1:" + port_text(server) +
                  ": \"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\"");
    EXPECT_LT(output.result.elapsed, 2s);

    ScriptedServer http09("127.0.0.1", replying("<html>ok</html>"));
    ASSERT_LISTENING(http09);
    output = probe({http09.url()});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_NE(output.out.find("not an HTTP response"), std::string::npos) << output.out;
}

TEST(Probe, ReportsARefusedConnection) {
    std::string port = std::to_string(unused_port());
    RunOutput output = probe({"http://127.0.0.1:" + port + "/healthz"});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_EQ(line_of(output), "unhealthy: connection refused by 127.0.0.1:" + port);
    if (have_ipv6_loopback()) {
        output = probe({"http://localhost:" + port + "/healthz"});
        EXPECT_EQ(line_of(output),
                  "unhealthy: connection refused by 127.0.0.1:" + port + " and [::1]:" + port);
    }
}

TEST(Probe, LocalhostTriesIpv4ThenIpv6WithoutAResolver) {
    ScriptedServer on_ipv4("127.0.0.1", replying(http_reply(200)));
    ASSERT_LISTENING(on_ipv4);
    RunOutput output = probe({"http://localhost:" + port_text(on_ipv4) + "/"});
    EXPECT_EQ(output.result.exit_code, 0) << output.out;
    EXPECT_NE(output.out.find("from 127.0.0.1:"), std::string::npos) << output.out;

    if (!have_ipv6_loopback())
        GTEST_SKIP() << "this machine has no ::1";
    ScriptedServer on_ipv6("::1", replying(http_reply(200)));
    ASSERT_LISTENING(on_ipv6);
    output = probe({"http://localhost:" + port_text(on_ipv6) + "/"});
    EXPECT_EQ(output.result.exit_code, 0) << output.out;
    EXPECT_NE(output.out.find("from [::1]:" + port_text(on_ipv6)), std::string::npos) << output.out;
    output = probe({on_ipv6.url()});
    EXPECT_EQ(output.result.exit_code, 0) << output.out;
}

TEST(Probe, SendsTheDocumentedRequestAndCustomHeaders) {
    ScriptedServer server("127.0.0.1", replying(http_reply(200)));
    ASSERT_LISTENING(server);
    ASSERT_EQ(probe({server.url("/healthz?deep=1")}).result.exit_code, 0);
    ASSERT_EQ(probe({"-H", "Host: app.example", "-H", "X-Probe: yes", "-X", "HEAD", server.url()})
                  .result.exit_code,
              0);
    std::vector<std::string> requests = server.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0],
              "GET /healthz?deep=1 HTTP/1.1\r\n"
              "Host: 127.0.0.1:" +
                  port_text(server) +
                  "\r\n"
                  "User-Agent: vigil-probe/" VIGIL_PROJECT_VERSION
                  "\r\n"
                  "Accept: */*\r\n"
                  "Connection: close\r\n\r\n");
    EXPECT_EQ(requests[1].rfind("HEAD /healthz HTTP/1.1\r\n", 0), 0u) << requests[1];
    EXPECT_EQ(requests[1].find("Host: 127.0.0.1"), std::string::npos) << requests[1];
    EXPECT_NE(requests[1].find("\r\nHost: app.example\r\nX-Probe: yes\r\n"), std::string::npos)
        << requests[1];
}

TEST(Probe, SpeaksHttpOverAUnixSocket) {
    TempDir directory;
    std::string path = directory.file("app.sock");
    std::unique_ptr<ScriptedServer> server(
        ScriptedServer::on_unix_socket(path, replying(http_reply(204))));
    ASSERT_LISTENING(*server);
    RunOutput output = probe({"--unix-socket", path, "http://app.internal/healthz"});
    EXPECT_EQ(output.result.exit_code, 0) << output.out << output.err;
    EXPECT_EQ(line_of(output).rfind("healthy: HTTP 204 from unix:" + path + " in ", 0), 0u)
        << output.out;
    ASSERT_EQ(server->requests().size(), 1u);
    EXPECT_NE(server->requests()[0].find("\r\nHost: app.internal\r\n"), std::string::npos);

    output = probe({"--unix-socket", directory.file("none.sock"), "http://localhost/"});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_NE(output.out.find("cannot connect to unix:"), std::string::npos) << output.out;
}

TEST(Probe, TcpSchemeChecksThatThePortIsOpen) {
    ServerScript quiet;
    quiet.read_request = false;
    ScriptedServer server("127.0.0.1", quiet);
    ASSERT_LISTENING(server);
    RunOutput output = probe({"tcp://127.0.0.1:" + port_text(server)});
    EXPECT_EQ(output.result.exit_code, 0) << output.out;
    EXPECT_EQ(line_of(output).rfind("healthy: TCP connection to 127.0.0.1:" + port_text(server), 0),
              0u);
    std::string closed = std::to_string(unused_port());
    output = probe({"tcp://127.0.0.1:" + closed});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_EQ(line_of(output), "unhealthy: connection refused by 127.0.0.1:" + closed);
}

TEST(Probe, UsageErrorsExit1NotDockersReserved2) {
    for (std::vector<std::string> arguments : {std::vector<std::string>{},
                                               {"localhost:8080"},
                                               {"-t", "x", "http://h/"},
                                               {"--nope", "http://h/"},
                                               {"-H", "Bad Header", "http://h/"},
                                               {"https://h/"}}) {
        RunOutput output = probe(arguments);
        EXPECT_EQ(output.result.exit_code, 1) << output.err;
        EXPECT_EQ(output.out, "");
        EXPECT_EQ(output.err.rfind("vigil probe: ", 0), 0u) << output.err;
        EXPECT_EQ(output.err.find('\n'), output.err.size() - 1) << output.err;
    }
    RunOutput help = probe({"--help"});
    EXPECT_EQ(help.result.exit_code, 0);
    EXPECT_NE(help.out.find("--unix-socket"), std::string::npos);
}

TEST(Probe, QuietPrintsNothing) {
    ScriptedServer server("127.0.0.1", replying(http_reply(500)));
    ASSERT_LISTENING(server);
    RunOutput output = probe({"-q", server.url()});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_EQ(output.out, "");
    EXPECT_EQ(output.err, "");
}

TEST(Probe, TakesItsUrlFromTheEnvironment) {
    ScriptedServer server("127.0.0.1", replying(http_reply(200)));
    ASSERT_LISTENING(server);
    RunOutput output = probe({}, {.environment = {"VIGIL_PROBE_URL=" + server.url()}});
    EXPECT_EQ(output.result.exit_code, 0) << output.out << output.err;
}

// An exec-form HEALTHCHECK expands no variables and a scratch image has no
// shell: the probe expands ${NAME} and ${NAME:-default} itself.
TEST(Probe, ExpandsVariablesInItsUrl) {
    ScriptedServer server("127.0.0.1", replying(http_reply(200)));
    ASSERT_LISTENING(server);
    RunOutput output = probe({"http://127.0.0.1:${APP_PORT}/healthz"},
                             {.environment = {"APP_PORT=" + port_text(server)}});
    EXPECT_EQ(output.result.exit_code, 0) << output.out << output.err;
    output =
        probe({"http://127.0.0.1:${UNSET_PORT}/healthz"}, {.unset_environment = {"UNSET_PORT"}});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_NE(output.err.find("UNSET_PORT is not set"), std::string::npos) << output.err;
}

// Names: resolved with the machine's /etc/hosts and /etc/resolv.conf, which
// these tests replace inside a mount namespace of the probe's own, with a DNS
// server of their own on a loopback address.
class ProbeNames : public ::testing::Test {
  protected:
    void SetUp() override {
        REQUIRE_ROOT();
        REQUIRE_MOUNT_NAMESPACE();
        std::ofstream(directory_.file("hosts"))
            << "127.0.0.1 localhost\n127.0.0.1 app.from-hosts\n";
        std::ofstream(directory_.file("resolv.conf"))
            << "nameserver " << dns_address << "\nsearch svc.test\noptions ndots:2\n";
        dns_ = std::make_unique<DnsServer>(dns_address, 53);
        ASSERT_TRUE(dns_->listening()) << "cannot listen on " << dns_address << ":53";
    }
    RunOutput probe_with_files(std::vector<std::string> arguments) {
        ProcessOptions options;
        options.bind_mounts = {{directory_.file("hosts"), "/etc/hosts"},
                               {directory_.file("resolv.conf"), "/etc/resolv.conf"}};
        return probe(std::move(arguments), options);
    }

    // A loopback address of this test process's own (ctest runs tests in
    // parallel, each in a process of its own), so that two tests' servers
    // never share port 53.
    const std::string dns_address = "127.83." + std::to_string(getpid() >> 8 & 0xff) + "." +
                                    std::to_string((getpid() & 0xff) % 254 + 1);
    TempDir directory_;
    std::unique_ptr<DnsServer> dns_;
};

TEST_F(ProbeNames, ResolvesFromHostsWithoutDns) {
    ScriptedServer server("127.0.0.1", replying(http_reply(200)));
    ASSERT_LISTENING(server);
    RunOutput output = probe_with_files({"http://app.from-hosts:" + port_text(server) + "/"});
    EXPECT_EQ(output.result.exit_code, 0) << output.out << output.err;
    EXPECT_TRUE(dns_->queries().empty());
}

TEST_F(ProbeNames, ResolvesThroughDnsWithTheSearchList) {
    ScriptedServer server("127.0.0.1", replying(http_reply(200)));
    ASSERT_LISTENING(server);
    dns_->add_address("api.svc.test", "127.0.0.1");
    RunOutput output = probe_with_files({"http://api:" + port_text(server) + "/"});
    EXPECT_EQ(output.result.exit_code, 0) << output.out << output.err;
    EXPECT_NE(output.out.find("from 127.0.0.1:"), std::string::npos) << output.out;
    std::vector<std::string> queries = dns_->queries();
    ASSERT_GE(queries.size(), 2u);
    EXPECT_EQ(queries[0].substr(0, 13), "api.svc.test ");
}

TEST_F(ProbeNames, ReportsAnUnknownName) {
    RunOutput output = probe_with_files({"http://nowhere.example:8080/"});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_EQ(line_of(output),
              "unhealthy: cannot resolve nowhere.example: not found in /etc/hosts or DNS");
}

TEST_F(ProbeNames, GivesUpOnASilentDnsServerAtTheDeadline) {
    dns_->set_silent(true);
    RunOutput output = probe_with_files({"-t", "1500ms", "http://slow.example:8080/"});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_GE(output.result.elapsed, 1500ms);
    EXPECT_LT(output.result.elapsed, 1800ms);
    EXPECT_EQ(line_of(output), std::string("unhealthy: timed out after 1.5s resolving slow.example "
                                           "(no answer from ") +
                                   dns_address + ":53)");
    // It asked again after a second of silence.
    EXPECT_GE(dns_->queries().size(), 4u);
}

TEST(Probe, OnlyTheFirstArgumentSelectsTheProbe) {
    // After "--", "probe" is a program like any other (here: none such).
    RunOutput output = run({vigil_binary(), "--", "probe", "http://127.0.0.1:1/"}, 20s);
    EXPECT_EQ(output.result.exit_code, 127) << output.err;
    EXPECT_NE(output.err.find("probe"), std::string::npos) << output.err;
    EXPECT_EQ(output.out, "");
}

// Two terminal emulators cleared the screen and retitled their window from
// what `docker inspect` showed of these.
TEST(Probe, WritesControlCharactersFromTheServerVisibly) {
    struct Case {
        std::string reply;
        std::string shown;
    };
    for (const Case& c : std::vector<Case>{
             {"\x9b"
              "2J\x9b"
              "3JHTTP/1.1 200 OK\r\n\r\n",
              "\\x9b2J\\x9b3JHTTP/1.1 200 OK"},
             {"\xc2\x9b"
              "2JHTTP/1.1 200 OK\r\n\r\n",
              "\\u009b2JHTTP/1.1 200 OK"},
             {"\xc2\x9d"
              "0;pwned\x07HTTP/1.1 200 OK\r\n\r\n",
              "\\u009d0;pwned\\x07HTTP/1.1 200 OK"},
             {"\x1b]0;pwned\x07\x1b[2JHTTP/1.1 200 OK\r\n\r\n",
              "\\x1b]0;pwned\\x07\\x1b[2JHTTP/1.1"},
             {"HTTP/1.1 200 OK\x1b[2J\r\n\r\n", "HTTP/1.1 200 OK\\x1b[2J"},
             {"HTTP/1.1 2\xc2\x9b"
              "0 OK\r\n\r\n",
              "HTTP/1.1 2\\u009b0 OK"},
         }) {
        ServerScript script = replying(c.reply);
        ScriptedServer server("127.0.0.1", script);
        ASSERT_LISTENING(server);
        RunOutput output = probe({server.url()});
        EXPECT_EQ(output.result.exit_code, 1);
        std::string line = line_of(output);
        EXPECT_TRUE(is_safe_line(line)) << line;
        EXPECT_NE(line.find(c.shown), std::string::npos) << line;
    }
}

TEST(Probe, StaysWithin200CharactersWhateverTheServerSends) {
    ScriptedServer server("127.0.0.1", replying(std::string(60, '\x9b') + "\r\n"));
    ASSERT_LISTENING(server);
    RunOutput output = probe({server.url()});
    std::string line = line_of(output);  // at most 200 characters and a newline
    EXPECT_TRUE(is_safe_line(line)) << line;
    EXPECT_EQ(line.substr(line.size() - 4), "\\x9b") << line;  // never half an escape
}

TEST(Probe, UsageErrorsWriteWhatTheUserGaveVisibly) {
    RunOutput output = probe({"-t", "\x9b\xc2\x9b\x1b[2J", "http://h/"});
    EXPECT_EQ(output.result.exit_code, 1);
    std::string line = output.err.substr(0, output.err.find('\n'));
    EXPECT_TRUE(is_safe_line(line)) << line;
    EXPECT_NE(line.find("'\\x9b\\u009b\\x1b[2J'"), std::string::npos) << line;
}

TEST_F(ProbeNames, SaysWhichAnswerCameWhenTheDnsServerDropsAaaa) {
    dns_->add_address("app.half.example", "127.0.0.1");
    dns_->ignore_type(28);  // AAAA
    RunOutput output = probe_with_files({"-t", "1500ms", "http://app.half.example:8080/"});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_EQ(line_of(output),
              "unhealthy: timed out after 1.5s resolving app.half.example (an A "
              "answer for app.half.example with 1 address, but no AAAA answer "
              "from " +
                  dns_address + ":53)");
    // Fewer dots than ndots: the search list's name comes first.
    output = probe_with_files({"-t", "1s", "http://half:8080/"});
    EXPECT_EQ(line_of(output),
              "unhealthy: timed out after 1s resolving half (an A answer for "
              "half.svc.test with 0 addresses, but no AAAA answer from " +
                  dns_address + ":53)");
}
