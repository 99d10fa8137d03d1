// Where the bytes of a CSV text come from: a string in memory, or a file read piece by piece
// with pread, so that a large file is never held in memory whole (only the pieces being parsed
// are, and the page cache does not count against the process).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kepler::grammar::detail {

class CsvSource {
public:
    // The text must outlive the source.
    static CsvSource in_memory(std::string_view text);
    // Throws ParseError(path, 0, 0, "cannot open file") for a file that cannot be opened or is
    // a directory, and refuses devices (/dev/zero, a terminal). A pipe or socket is read into
    // memory whole, at most `max_pipe_bytes` of it (more is refused: it may never end).
    static CsvSource open_file(const std::string& path, std::size_t max_pipe_bytes);

    CsvSource(CsvSource&& other) noexcept;
    CsvSource& operator=(CsvSource&&) = delete;
    CsvSource(const CsvSource&) = delete;
    CsvSource& operator=(const CsvSource&) = delete;
    ~CsvSource();

    std::size_t size() const noexcept { return size_; }
    // Whether read() returns views into memory (and so never copies).
    bool in_memory() const noexcept { return fd_ < 0; }
    // The bytes [begin, end) (end <= size()): a view into the text, or read into `buffer`
    // (resized as needed) and viewed there. Safe to call from several threads at once, each
    // with its own buffer. Throws ParseError(path, 0, 0, "cannot read file") on a read error.
    std::string_view read(std::size_t begin, std::size_t end, std::vector<char>& buffer) const;

private:
    CsvSource() = default;

    std::string path_;
    int fd_ = -1;
    std::string owned_;      // a non-seekable file's whole text
    std::string_view text_;  // in memory: the text (owned_ or the caller's)
    std::size_t size_ = 0;
};

}  // namespace kepler::grammar::detail
