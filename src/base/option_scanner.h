// Walks a command line the way getopt_long does, for OptionTable: long options (--name,
// --name=value, --name value), clusters of short flags (-cv) whose last member
// may take a value (-rTERM:QUIT, -r TERM:QUIT), and "--". The scanner only
// splits; what an option means is the caller's business.
#pragma once

#include <cstddef>

#include "base/option_table.h"

namespace vigil {

class OptionScanner {
  public:
    enum class Step {
        option,       // option() and value() describe it
        operand,      // argv[index()] is not an option; skip_operand() moves past it
        double_dash,  // "--" was consumed: every later argument is an operand
        end,          // no arguments left
        error,        // error() says what is wrong
    };

    OptionScanner(int argc, char** argv, const OptionList& options)
        : argc_(argc), argv_(argv), options_(options) {}

    Step next();
    void skip_operand() { ++index_; }

    int index() const { return index_; }
    const PackedOptionRow& option() const { return *option_; }
    size_t option_index() const { return static_cast<size_t>(option_ - options_.rows.data()); }
    const char* value() const { return value_; }  // null for options without one
    // "--grace" or "-r", for messages; after an unknown option, how it was
    // written ("-l", "--bogus=1").
    const char* spelled() const { return spelled_; }
    const char* error() const { return error_; }

  private:
    Step fail(const char* format, const char* what);
    Step take_value();

    int argc_;
    char** argv_;
    const OptionList& options_;
    int index_ = 1;                  // argv[0] is the program's own name
    const char* cluster_ = nullptr;  // the rest of a short-flag cluster
    bool options_ended_ = false;     // after "--"
    const PackedOptionRow* option_ = nullptr;
    const char* value_ = nullptr;
    // Not zeroed: next() writes each before anything reads it.
    char spelled_[40];
    char error_[160];
};

}  // namespace vigil
