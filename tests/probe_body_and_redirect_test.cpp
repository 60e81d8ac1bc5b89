// --expect and --follow-redirects against real servers on loopback: the
// body as health endpoints send it (Content-Length, chunked, until close),
// and redirects as the kubelet judges them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "process_harness.h"
#include "scripted_server.h"

using namespace vigil_test;
using namespace std::chrono_literals;

namespace {

RunOutput probe(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), {vigil_binary(), "probe"});
    return run(arguments, 20s);
}

std::string line_of(const RunOutput& output) {
    EXPECT_LE(output.out.size(), 201u) << output.out;
    return output.out.substr(0, output.out.find('\n'));
}

ServerScript replying(const std::string& reply) {
    ServerScript script;
    script.reply = reply;
    return script;
}

std::string with_body(int status, const std::string& body) {
    return "HTTP/1.1 " + std::to_string(status) +
           " X\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

bool starts_with(const std::string& text, const std::string& prefix) {
    return text.rfind(prefix, 0) == 0;
}

}  // namespace

TEST(ProbeExpect, FindsTheTextInABodyOfEveryFraming) {
    const std::vector<std::string> replies{
        with_body(200, "{\"status\":\"UP\"}"),
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"st\r\n"
        "B\r\natus\":\"UP\"}\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"status\":\"UP\"}",
    };
    for (const std::string& reply : replies) {
        ScriptedServer server("127.0.0.1", replying(reply));
        ASSERT_TRUE(server.listening());
        RunOutput output = probe({"--expect", "\"status\":\"UP\"", server.url()});
        EXPECT_EQ(output.result.exit_code, 0) << reply << "\n" << output.out;
        EXPECT_TRUE(starts_with(line_of(output), "healthy: HTTP 200 from 127.0.0.1:"))
            << output.out;
        EXPECT_NE(output.out.find("found"), std::string::npos) << output.out;
    }
}

TEST(ProbeExpect, SaysWhetherTheStatusOrTheTextFailed) {
    ScriptedServer down("127.0.0.1", replying(with_body(200, "{\"status\":\"DOWN\"}")));
    ASSERT_TRUE(down.listening());
    RunOutput output = probe({"--expect", "UP", down.url()});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_TRUE(starts_with(line_of(output), "unhealthy: HTTP 200 from 127.0.0.1:")) << output.out;
    EXPECT_NE(output.out.find("\"UP\" is not in its body"), std::string::npos) << output.out;

    ScriptedServer failing("127.0.0.1", replying(with_body(503, "UP")));
    ASSERT_TRUE(failing.listening());
    output = probe({"--expect", "UP", failing.url()});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_TRUE(starts_with(line_of(output), "unhealthy: HTTP 503 from")) << output.out;
    EXPECT_EQ(output.out.find("body"), std::string::npos) << "the status decided: " << output.out;
}

TEST(ProbeExpect, ReadsTheFirstTenKibibytesOnly) {
    std::string body(20 * 1024, 'x');
    body += "UP";
    ScriptedServer server("127.0.0.1", replying(with_body(200, body)));
    ASSERT_TRUE(server.listening());
    RunOutput output = probe({"--expect", "UP", server.url()});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_NE(output.out.find("not in its first 10 KiB"), std::string::npos) << output.out;

    ServerScript endless = replying("HTTP/1.1 200 OK\r\n\r\n");
    endless.endless_body = true;
    ScriptedServer flood("127.0.0.1", endless);
    ASSERT_TRUE(flood.listening());
    output = probe({"-t", "5s", "--expect", "UP", flood.url()});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_LT(output.result.elapsed, 3s) << "an endless body must not be read to its end";
}

TEST(ProbeExpect, ABodyCutShortOrMalformedIsUnhealthyWithItsReason) {
    ScriptedServer cut("127.0.0.1",
                       replying("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a part"));
    ASSERT_TRUE(cut.listening());
    RunOutput output = probe({"--expect", "UP", cut.url()});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_NE(output.out.find("ended early or was malformed"), std::string::npos) << output.out;
}

TEST(ProbeExpect, ATrickledBodyIsReadWithinTheDeadline) {
    ServerScript slow = replying(with_body(200, "....UP"));
    slow.drip_ms = 20;
    ScriptedServer server("127.0.0.1", slow);
    ASSERT_TRUE(server.listening());
    RunOutput output = probe({"-t", "5s", "--expect", "UP", server.url()});
    EXPECT_EQ(output.result.exit_code, 0) << output.out;

    slow.drip_ms = 400;
    ScriptedServer slower("127.0.0.1", slow);
    ASSERT_TRUE(slower.listening());
    output = probe({"-t", "1s", "--expect", "UP", slower.url()});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_TRUE(starts_with(line_of(output), "unhealthy: timed out after 1s")) << output.out;
    EXPECT_GE(output.result.elapsed, 1s);
    EXPECT_LT(output.result.elapsed, 1500ms);
}

TEST(ProbeRedirects, FollowsASameOriginRedirectAndJudgesTheLastResponse) {
    // A server that answers its first connection with 302 and every later
    // one with 503.
    ServerScript script;
    script.replies = {http_reply(302, "Location: /ready?deep=1\r\n"), http_reply(503)};
    // Without the option the 302 is judged, as ever: healthy.
    ScriptedServer plain("127.0.0.1", script);
    ASSERT_TRUE(plain.listening());
    RunOutput output = probe({plain.url("/healthz")});
    EXPECT_EQ(output.result.exit_code, 0) << output.out;
    EXPECT_TRUE(starts_with(line_of(output), "healthy: HTTP 302")) << output.out;
    // With it, the 503 behind it decides, as in the kubelet.
    ScriptedServer server("127.0.0.1", script);
    ASSERT_TRUE(server.listening());
    output = probe({"--follow-redirects", server.url("/healthz")});
    EXPECT_EQ(output.result.exit_code, 1) << output.out;
    EXPECT_TRUE(starts_with(line_of(output), "unhealthy: HTTP 503")) << output.out;
    EXPECT_NE(output.out.find("after 1 redirect"), std::string::npos) << output.out;
    std::vector<std::string> requests = server.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_TRUE(starts_with(requests[0], "GET /healthz HTTP/1.1\r\n")) << requests[0];
    EXPECT_TRUE(starts_with(requests[1], "GET /ready?deep=1 HTTP/1.1\r\n")) << requests[1];
}

TEST(ProbeRedirects, JudgesARedirectElsewhereAsItIs) {
    ScriptedServer server("127.0.0.1",
                          replying(http_reply(301, "Location: http://elsewhere.example/\r\n")));
    ASSERT_TRUE(server.listening());
    RunOutput output = probe({"--follow-redirects", server.url()});
    EXPECT_EQ(output.result.exit_code, 0) << output.out;
    EXPECT_TRUE(starts_with(line_of(output), "healthy: HTTP 301")) << output.out;
    output = probe({"--follow-redirects", "-s", "200", server.url()});
    EXPECT_EQ(output.result.exit_code, 1) << output.out;
    EXPECT_EQ(server.connections(), 2) << "the other host was never asked";
}

TEST(ProbeRedirects, StopsAfterTenRedirects) {
    ScriptedServer loop("127.0.0.1", replying(http_reply(307, "Location: /again\r\n")));
    ASSERT_TRUE(loop.listening());
    RunOutput output = probe({"--follow-redirects", loop.url()});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_EQ(line_of(output).rfind("unhealthy: stopped after 10 redirects from 127.0.0.1:", 0), 0u)
        << output.out;
    EXPECT_EQ(loop.connections(), 11);
}

TEST(ProbeRedirects, A303TurnsTheRequestIntoAGet) {
    ServerScript script;
    script.replies = {http_reply(303, "Location: /result\r\n"), http_reply(200)};
    ScriptedServer server("127.0.0.1", script);
    ASSERT_TRUE(server.listening());
    RunOutput output = probe({"--follow-redirects", "-X", "POST", server.url("/submit")});
    EXPECT_EQ(output.result.exit_code, 0) << output.out;
    std::vector<std::string> requests = server.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_TRUE(starts_with(requests[0], "POST /submit ")) << requests[0];
    EXPECT_TRUE(starts_with(requests[1], "GET /result ")) << requests[1];
}

TEST(ProbeRedirects, AnUnusableLocationIsUnhealthy) {
    ScriptedServer server("127.0.0.1", replying(http_reply(302)));  // no Location at all
    ASSERT_TRUE(server.listening());
    RunOutput output = probe({"--follow-redirects", server.url()});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_NE(output.out.find("redirects to no usable Location"), std::string::npos) << output.out;
}
