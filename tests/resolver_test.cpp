// The resolver in this process, against a DNS server of the test's own on
// loopback, with hosts and resolv.conf files the test writes.
#include "resolver/resolver.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "base/clock.h"
#include "dns_server.h"
#include "probe/endpoint.h"
#include "process_harness.h"

using namespace vigil;
using namespace std::chrono_literals;

namespace {

class ResolverTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(dns_.listening());
        files_.hosts = hosts_path_.c_str();
        files_.resolv_conf = resolv_conf_path_.c_str();
        files_.dns_port = dns_.port();
        write_files("127.0.0.1 localhost\n", "nameserver 127.0.0.1\n");
    }
    void write_files(const std::string& hosts, const std::string& resolv_conf) {
        std::ofstream(hosts_path_) << hosts;
        std::ofstream(resolv_conf_path_) << resolv_conf;
    }
    // Runs the resolver to its end or for `limit`; returns how long it took.
    std::chrono::milliseconds resolve(const std::string& name,
                                      std::chrono::milliseconds limit = 5s) {
        int64_t started = monotonic_us();
        int64_t give_up = started + limit.count() * 1000;
        resolver_.start(name, files_, started);
        while (resolver_.running() && monotonic_us() < give_up) {
            pollfd ready = resolver_.poll_request();
            int64_t wait_us = std::min(resolver_.wake_at_us(), give_up) - monotonic_us();
            poll(&ready, 1, wait_us <= 0 ? 0 : static_cast<int>(wait_us / 1000 + 1));
            resolver_.advance(ready.revents, monotonic_us());
        }
        return std::chrono::milliseconds((monotonic_us() - started) / 1000);
    }
    std::string addresses() const {
        std::string text;
        for (const dns::Address& address : resolver_.addresses()) {
            Endpoint endpoint = address_endpoint(address, 1);
            text += (text.empty() ? "" : " ") + std::string(endpoint.text);
        }
        return text;
    }

    vigil_test::TempDir directory_;
    std::string hosts_path_ = directory_.file("hosts");
    std::string resolv_conf_path_ = directory_.file("resolv.conf");
    vigil_test::DnsServer dns_;
    ResolverFiles files_;
    Resolver resolver_;
};

}  // namespace

TEST_F(ResolverTest, HostsFileAnswersWithoutAQuery) {
    write_files("10.0.0.7 db db.local\nfd00::7 db\n", "nameserver 127.0.0.1\n");
    resolve("DB");
    EXPECT_FALSE(resolver_.running());
    EXPECT_EQ(addresses(), "10.0.0.7:1 [fd00::7]:1");
    EXPECT_TRUE(dns_.queries().empty());
}

TEST_F(ResolverTest, AsksForBothFamiliesAndPutsIpv4First) {
    dns_.add_address("web.example", "fd00::1");
    dns_.add_address("web.example", "10.1.1.1");
    resolve("web.example");
    EXPECT_STREQ(resolver_.error(), "");
    EXPECT_EQ(addresses(), "10.1.1.1:1 [fd00::1]:1");
    std::vector<std::string> queries = dns_.queries();
    std::sort(queries.begin(), queries.end());
    EXPECT_EQ(queries, (std::vector<std::string>{"web.example A", "web.example AAAA"}));
}

TEST_F(ResolverTest, FollowsTheSearchListAndNdots) {
    write_files("",
                "nameserver 127.0.0.1\nsearch ns.svc.cluster.local svc.cluster.local\n"
                "options ndots:5\n");
    dns_.add_address("api.svc.cluster.local", "10.2.2.2");
    resolve("api");
    EXPECT_EQ(addresses(), "10.2.2.2:1");
    std::vector<std::string> names;
    for (const std::string& query : dns_.queries())
        names.push_back(query.substr(0, query.find(' ')));
    names.erase(std::unique(names.begin(), names.end()), names.end());
    EXPECT_EQ(names,
              (std::vector<std::string>{"api.ns.svc.cluster.local", "api.svc.cluster.local"}));
}

TEST_F(ResolverTest, NamesWithEnoughDotsAreTriedAsGivenFirst) {
    write_files("", "nameserver 127.0.0.1\nsearch corp.example\n");  // ndots 1
    dns_.add_address("db.prod", "10.3.3.3");
    resolve("db.prod");
    EXPECT_EQ(addresses(), "10.3.3.3:1");
    EXPECT_EQ(dns_.queries().front().substr(0, 8), "db.prod ");

    // A trailing dot means exactly this name: no search list.
    resolve("missing.");
    EXPECT_STREQ(resolver_.error(), "not found in /etc/hosts or DNS");
    for (const std::string& query : dns_.queries())
        EXPECT_EQ(query.find("missing.corp"), std::string::npos) << query;
}

TEST_F(ResolverTest, ReadsAddressesBehindACname) {
    dns_.add_alias("www.example", "edge.example");
    dns_.add_address("edge.example", "10.4.4.4");
    resolve("www.example");
    EXPECT_EQ(addresses(), "10.4.4.4:1");
}

TEST_F(ResolverTest, ReportsUnknownNamesAndServerFailures) {
    resolve("nothing.example");
    EXPECT_FALSE(resolver_.running());
    EXPECT_TRUE(resolver_.addresses().empty());
    EXPECT_STREQ(resolver_.error(), "not found in /etc/hosts or DNS");

    dns_.fail_with("broken.example", 2);
    resolve("broken.example");
    EXPECT_STREQ(resolver_.error(), "the DNS server failed (SERVFAIL)");
}

TEST_F(ResolverTest, AsksAgainWhenAnAnswerIsLost) {
    dns_.add_address("lossy.example", "10.5.5.5");
    dns_.drop_first_queries(2);
    auto took = resolve("lossy.example");
    EXPECT_EQ(addresses(), "10.5.5.5:1");
    EXPECT_GE(took, 900ms);  // the retry comes after a second
    EXPECT_LT(took, 3s);
}

TEST_F(ResolverTest, UsesWhicheverServerAnswers) {
    // Queries go to both; nothing listens at 127.0.0.2.
    write_files("", "nameserver 127.0.0.2\nnameserver 127.0.0.1\n");
    dns_.add_address("two.example", "10.6.6.6");
    auto took = resolve("two.example");
    EXPECT_EQ(addresses(), "10.6.6.6:1");
    EXPECT_LT(took, 900ms);  // no wait for the absent server
}

// An IPv6 server in the list makes the socket a dual-stack IPv6 one, which
// reaches an IPv4 server as ::ffff:a.b.c.d and sees its answers come from
// there. (Without IPv6 in the kernel, the IPv4 server is asked directly.)
TEST_F(ResolverTest, ReachesAnIpv4ServerBesideAnIpv6One) {
    write_files("", "nameserver ::1\nnameserver 127.0.0.1\n");  // nothing answers on ::1
    dns_.add_address("mixed.example", "10.9.9.9");
    auto took = resolve("mixed.example");
    EXPECT_EQ(addresses(), "10.9.9.9:1");
    EXPECT_LT(took, 900ms);  // answered at once, not after a retry
}

TEST_F(ResolverTest, IgnoresAnswersFromAnAddressItDidNotAsk) {
    dns_.add_address("spoofed.example", "10.7.7.7");
    dns_.reply_from_another_port(true);
    resolve("spoofed.example", 1200ms);
    EXPECT_TRUE(resolver_.running());
    EXPECT_TRUE(resolver_.addresses().empty());
    EXPECT_FALSE(dns_.queries().empty());
}

TEST_F(ResolverTest, StaysRunningWhileNoServerAnswers) {
    dns_.set_silent(true);
    auto took = resolve("quiet.example", 1500ms);
    EXPECT_TRUE(resolver_.running());
    EXPECT_GE(took, 1500ms);
    resolver_.stop();
    EXPECT_FALSE(resolver_.running());
}

// The right ID from the right address, but an answer about another name:
// ignored, and the real answer that follows is used.
TEST_F(ResolverTest, IgnoresAnAnswerToAnotherQuestionWithTheRightId) {
    dns_.add_address("app.example", "10.8.8.8");
    dns_.answer_another_question_first(true);
    resolve("app.example");
    EXPECT_STREQ(resolver_.error(), "");
    EXPECT_EQ(addresses(), "10.8.8.8:1");
}

// A flood of datagrams is read a batch at a time, so that the loop that
// calls advance() gets back to its signals in between.
TEST_F(ResolverTest, ReadsABoundedBatchOfDatagramsPerWakeUp) {
    constexpr int flood = 50;
    dns_.set_silent(true);
    dns_.flood_next_query(flood);
    int64_t now = monotonic_us();
    resolver_.start("flood.example", files_, now);
    ASSERT_TRUE(resolver_.running());
    for (int i = 0; i < 500 && dns_.junk_sent() < flood; ++i) usleep(10 * 1000);
    ASSERT_EQ(dns_.junk_sent(), flood);
    usleep(100 * 1000);  // loopback delivers at once; this is only a margin
    auto readable = [this] {
        pollfd ready = resolver_.poll_request();
        return poll(&ready, 1, 0) == 1 && (ready.revents & POLLIN);
    };
    constexpr size_t batch = Resolver::max_datagrams_per_advance;
    static_assert(batch < flood, "the flood must outlast a batch");
    size_t calls = 0;
    while (readable() && calls < 100) {
        resolver_.advance(POLLIN, now);
        ++calls;
    }
    EXPECT_EQ(calls, (flood + batch - 1) / batch);  // 4 for 50 in batches of 16
    EXPECT_TRUE(resolver_.running());
}

// A server that answers A and drops AAAA is not silent: say what came.
TEST_F(ResolverTest, SaysWhatArrivedWhileOneFamilyGoesUnanswered) {
    dns_.add_address("half.example", "10.9.9.9");
    dns_.ignore_type(28);  // AAAA
    resolve("half.example", 1200ms);
    EXPECT_TRUE(resolver_.running());
    EXPECT_EQ(std::string(resolver_.progress()),
              "an A answer for half.example with 1 address, but no AAAA answer from 127.0.0.1:" +
                  std::to_string(dns_.port()));

    dns_.set_silent(true);
    resolve("quiet.example", 100ms);
    EXPECT_EQ(std::string(resolver_.progress()),
              "no answer from 127.0.0.1:" + std::to_string(dns_.port()));
    resolver_.stop();
}
