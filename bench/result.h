// Result<T>: a value or the one-line reason there is none. The driver treats
// errors as values so that one failing init or probe becomes a "failed: ..."
// cell in the report instead of ending the run.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace bench {

// The error half of a Result, kept apart so Result<std::string> is unambiguous.
struct Failure {
    std::string message;
};

inline Failure fail(std::string message) {
    return Failure{std::move(message)};
}

// "operation: strerror(errno)", for a system call that just failed.
std::string errno_message(const std::string& operation);

template <typename T>
class Result {
  public:
    Result(T value) : value_(std::move(value)) {}
    Result(Failure failure) : error_(std::move(failure.message)) {}

    explicit operator bool() const { return value_.has_value(); }
    T& operator*() { return *value_; }
    const T& operator*() const { return *value_; }
    T* operator->() { return &*value_; }
    const T* operator->() const { return &*value_; }
    const std::string& error() const { return error_; }

  private:
    std::optional<T> value_;
    std::string error_;
};

}  // namespace bench
