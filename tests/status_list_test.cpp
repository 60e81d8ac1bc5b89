#include "probe/status_list.h"

#include <gtest/gtest.h>

using namespace vigil;

namespace {

StatusList parsed(const char* text) {
    StatusList list;
    const char* error = nullptr;
    EXPECT_TRUE(list.parse(text, error)) << text << ": " << (error ? error : "");
    return list;
}

}  // namespace

TEST(StatusList, DefaultIs200To399AsKubernetes) {
    StatusList list = StatusList::kubernetes_default();
    EXPECT_FALSE(list.contains(199));
    EXPECT_TRUE(list.contains(200));
    EXPECT_TRUE(list.contains(302));
    EXPECT_TRUE(list.contains(399));
    EXPECT_FALSE(list.contains(400));
    EXPECT_FALSE(list.contains(503));
}

TEST(StatusList, CodesRangesAndClassesMix) {
    StatusList list = parsed("200,204,300-302,5xx");
    for (int status : {200, 204, 300, 301, 302, 500, 503, 599})
        EXPECT_TRUE(list.contains(status)) << status;
    for (int status : {201, 299, 303, 404, 499, 600}) EXPECT_FALSE(list.contains(status)) << status;
    EXPECT_TRUE(parsed("2XX").contains(250));
    EXPECT_TRUE(parsed("999").contains(999));
}

TEST(StatusList, OutOfRangeStatusesAreNeverContained) {
    StatusList list = parsed("1xx,9xx");
    EXPECT_FALSE(list.contains(0));
    EXPECT_FALSE(list.contains(99));
    EXPECT_FALSE(list.contains(1000));
    EXPECT_FALSE(list.contains(-1));
}

TEST(StatusList, MalformedListsAreRejectedAndLeaveTheListAlone) {
    for (const char* text : {"", "2", "20", "2000", "abc", "200,", ",200", "300-200", "200-",
                             "-300", "0xx", "099", "2x", "2xxx", "200 ,204", "200-300-400"}) {
        StatusList list = StatusList::kubernetes_default();
        const char* error = nullptr;
        EXPECT_FALSE(list.parse(text, error)) << "'" << text << "'";
        EXPECT_NE(error, nullptr);
        EXPECT_TRUE(list.contains(200)) << text;
    }
}
