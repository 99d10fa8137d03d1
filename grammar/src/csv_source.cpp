#include "csv_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <string>

#include "kepler/grammar/parse_error.hpp"

namespace kepler::grammar::detail {

CsvSource CsvSource::in_memory(std::string_view text) {
    CsvSource source;
    source.text_ = text;
    source.size_ = text.size();
    return source;
}

CsvSource CsvSource::open_file(const std::string& path, std::size_t max_pipe_bytes) {
    CsvSource source;
    source.path_ = path;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw ParseError(path, 0, 0, "cannot open file");
    struct stat info {};
    if (::fstat(fd, &info) != 0 || S_ISDIR(info.st_mode)) {
        ::close(fd);
        throw ParseError(path, 0, 0, "cannot open file");
    }
    if (S_ISREG(info.st_mode)) {
        source.fd_ = fd;
        source.size_ = static_cast<std::size_t>(info.st_size);
        return source;
    }
    if (!S_ISFIFO(info.st_mode) && !S_ISSOCK(info.st_mode)) {  // /dev/zero, /dev/random, a terminal
        ::close(fd);
        throw ParseError(path, 0, 0, "expected a regular file or a pipe, found a device");
    }
    // A pipe (`<(command)`): no pread, so read it through once.
    char buffer[1 << 16];
    for (;;) {
        if (source.owned_.size() > max_pipe_bytes) {
            ::close(fd);
            throw ParseError(path, 0, 0,
                             "expected at most " + std::to_string(max_pipe_bytes) +
                                 " bytes through a pipe, found more; save the table to a file and read that");
        }
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got == 0) break;
        if (got < 0) {
            if (errno == EINTR) continue;
            ::close(fd);
            throw ParseError(path, 0, 0, "cannot read file");
        }
        source.owned_.append(buffer, static_cast<std::size_t>(got));
    }
    ::close(fd);
    source.size_ = source.owned_.size();
    // text_ is set where the source has its final address (the move constructor re-points it).
    source.text_ = source.owned_;
    return source;
}

CsvSource::CsvSource(CsvSource&& other) noexcept : path_(std::move(other.path_)), fd_(other.fd_), size_(other.size_) {
    other.fd_ = -1;
    const bool owns = other.text_.data() == other.owned_.data() && !other.owned_.empty();
    owned_ = std::move(other.owned_);
    text_ = owns ? std::string_view(owned_) : other.text_;
}

CsvSource::~CsvSource() {
    if (fd_ >= 0) ::close(fd_);
}

std::string_view CsvSource::read(std::size_t begin, std::size_t end, std::vector<char>& buffer) const {
    if (fd_ < 0) return text_.substr(begin, end - begin);
    const std::size_t length = end - begin;
    if (buffer.size() < length) buffer.resize(length);
    std::size_t done = 0;
    while (done < length) {
        const ssize_t got = ::pread(fd_, buffer.data() + done, length - done, static_cast<off_t>(begin + done));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) throw ParseError(path_, 0, 0, "cannot read file");  // an error, or the file shrank
        done += static_cast<std::size_t>(got);
    }
    return std::string_view(buffer.data(), length);
}

}  // namespace kepler::grammar::detail
