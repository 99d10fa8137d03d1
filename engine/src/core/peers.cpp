#include "kepler/core/peers.hpp"

#include <cstring>
#include <stdexcept>

namespace kepler {

std::vector<std::string> SinglePeer::deal(std::size_t count, const std::function<std::string(std::size_t)>& work,
                                          const std::function<void(std::size_t, const std::string&)>& done,
                                          const std::atomic<bool>* stop) {
    std::vector<std::string> results(count);
    for (std::size_t i = 0; i < count; ++i) {
        if (stop && stop->load()) break;
        results[i] = work(i);
        if (done) done(i, results[i]);
    }
    return results;
}

bool all_agree(Peers* peers, bool mine) {
    if (!peers || peers->size() <= 1) return mine;
    const std::vector<std::string> votes = peers->all_gather(std::string(1, mine ? '1' : '0'));
    for (const std::string& v : votes)
        if (v != "1") return false;
    return true;
}

std::string ByteReader::get_string() {
    const auto n = get<std::uint64_t>();
    if (n > bytes_.size() - position_) throw std::out_of_range("ByteReader: a string runs past the end of the buffer");
    std::string s = bytes_.substr(position_, n);
    position_ += n;
    return s;
}

void ByteReader::copy_out(char* out, std::size_t n) {
    if (n > bytes_.size() - position_) throw std::out_of_range("ByteReader: read past the end of the buffer");
    std::memcpy(out, bytes_.data() + position_, n);
    position_ += n;
}

}  // namespace kepler
