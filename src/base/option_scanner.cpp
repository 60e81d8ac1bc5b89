#include "base/option_scanner.h"

#include <cstring>
#include <string_view>

#include "base/format.h"

namespace vigil {

OptionScanner::Step OptionScanner::fail(const char* format, const char* what) {
    format_into(error_, sizeof error_, format, what);
    return Step::error;
}

// The value of a short option: the rest of its cluster, else the next argument.
OptionScanner::Step OptionScanner::take_value() {
    if (*cluster_) {
        value_ = cluster_;
        cluster_ = nullptr;
        return Step::option;
    }
    cluster_ = nullptr;
    if (index_ >= argc_)
        return fail("option %s needs a value", spelled_);
    value_ = argv_[index_++];
    return Step::option;
}

OptionScanner::Step OptionScanner::next() {
    value_ = nullptr;
    if (cluster_ && *cluster_) {
        char name = *cluster_++;
        format_into(spelled_, sizeof spelled_, "-%c", name);
        option_ = nullptr;
        for (const PackedOptionRow& row : options_.rows)
            if (row.short_name == name)
                option_ = &row;
        if (!option_)
            return fail("unknown option '%s'", spelled_);
        if (option_->kind != OptionKind::flag)
            return take_value();
        return Step::option;
    }
    cluster_ = nullptr;

    if (index_ >= argc_)
        return Step::end;
    const char* argument = argv_[index_];
    if (options_ended_ || argument[0] != '-' || argument[1] == '\0')
        return Step::operand;
    if (std::strcmp(argument, "--") == 0) {
        ++index_;
        options_ended_ = true;
        return Step::double_dash;
    }
    ++index_;

    if (argument[1] != '-') {
        cluster_ = argument + 1;
        return next();
    }

    std::string_view body(argument + 2);
    size_t equals = body.find('=');
    std::string_view name = body.substr(0, equals);
    option_ = nullptr;
    for (const PackedOptionRow& row : options_.rows)
        if (row.long_name && name == options_.names + row.long_name)
            option_ = &row;
    if (!option_) {
        format_into(spelled_, sizeof spelled_, "%s", argument);
        return fail("unknown option '%s'", argument);
    }
    format_into(spelled_, sizeof spelled_, "--%s", options_.name(option_->long_name));
    if (option_->kind == OptionKind::flag) {
        if (equals != std::string_view::npos)
            return fail("option %s takes no value", spelled_);
        return Step::option;
    }
    if (equals != std::string_view::npos) {
        value_ = argument + 2 + equals + 1;
        return Step::option;
    }
    if (index_ >= argc_)
        return fail("option %s needs a value", spelled_);
    value_ = argv_[index_++];
    return Step::option;
}

}  // namespace vigil
