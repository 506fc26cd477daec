#include "storage/verify.hpp"

#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>

#include "storage/audit_log.hpp"
#include "storage/event_store.hpp"

namespace frontdoor::storage {
namespace {

std::string genesis() {
  return std::string(64, '0');
}
constexpr const char* kCheckpointFormat = "frontdoor-checkpoint";
constexpr int kCheckpointVersion = 1;

std::optional<std::int64_t> as_integer(const Value& v) {
  if (const auto* n = std::get_if<std::int64_t>(&v)) return *n;
  return std::nullopt;
}

// One stored entry as the walk needs it: where it is, what it links to, its
// stored hash, and why its contents do not match that hash (if they do not).
struct Entry {
  std::int64_t seq = 0;
  std::string prev_hash;
  std::string hash;
  std::optional<std::string> defect;
};

Entry read_entry(Chain chain, const Row& r) {
  // prev_hash and hash are the last two columns of both tables.
  Entry out;
  out.seq = as_integer(r[0]).value_or(0);
  out.prev_hash = r.text(r.size() - 2);
  out.hash = r.text(r.size() - 1);
  if (chain == Chain::kEvents) {
    out.defect = event_row_defect(r);
    if (!out.defect && event_hash(event_from_row(r)) != out.hash) {
      out.defect =
          "its payload or envelope (actor, times, type, stream, reason) was changed after it was "
          "written: its contents no longer match its hash";
    }
  } else {
    out.defect = audit_row_defect(r);
    if (!out.defect && audit_hash(audit_entry_from_row(r)) != out.hash) {
      out.defect =
          "it was changed after it was written (actor, time, action, subject, basis or "
          "outcome): its contents no longer match its hash";
    }
  }
  return out;
}

std::string short_hash(const std::string& hash) {
  return hash.size() > 12 ? hash.substr(0, 12) + "..." : hash;
}

class Walk {
 public:
  Walk(Database& db, Chain chain, const std::optional<ChainCheckpoint>& checkpoint)
      : db_(db), chain_(chain), checkpoint_(checkpoint) {
    report_.chain = chain;
    report_.last_hash = genesis();
  }

  Result<ChainReport> run(std::int64_t batch_size) {
    const std::string table(chain_name(chain_));
    // The walk ends at the last entry that existed when it began, however
    // much a running server appends meanwhile.
    std::int64_t upper = 0;
    FD_TRY(db_.read([&](Transaction& tx) -> Status {
      FD_ASSIGN_OR_RETURN(auto row, tx.query_one("SELECT MAX(seq) FROM " + table));
      if (row && !row->is_null(0)) {
        upper = as_integer((*row)[0]).value_or(std::numeric_limits<std::int64_t>::max());
      }
      return ok_status();
    }));
    const std::string sql = std::string("SELECT ") +
                            (chain_ == Chain::kEvents ? kEventColumns : kAuditColumns) + " FROM " +
                            table + " WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?";
    // The last sequence number read, as stored (on SQLite a tampered one may
    // not be an integer).
    Value after = std::numeric_limits<std::int64_t>::min();
    for (;;) {
      std::vector<Row> rows;
      FD_TRY(db_.read([&](Transaction& tx) -> Status {
        FD_ASSIGN_OR_RETURN(rows, tx.query(sql, {after, upper, batch_size}));
        return ok_status();
      }));
      for (const Row& r : rows) FD_TRY(check(r));
      if (static_cast<std::int64_t>(rows.size()) < batch_size) break;
      after = rows.back()[0];
    }
    check_against_checkpoint();
    return std::move(report_);
  }

 private:
  void found(std::int64_t seq, BreakKind kind, std::string detail) {
    ++report_.bad_entries;
    if (!report_.first_break) {
      report_.first_break = ChainBreak{chain_, seq, kind, std::move(detail)};
    }
  }

  // The sequence number of the entry whose stored hash is `hash`, if any.
  // Read only to explain the first break, so its full scan is paid once.
  Result<std::optional<std::int64_t>> seq_of_hash(const std::string& hash) {
    std::optional<std::int64_t> seq;
    FD_TRY(db_.read([&](Transaction& tx) -> Status {
      FD_ASSIGN_OR_RETURN(auto row,
                          tx.query_one("SELECT seq FROM " + std::string(chain_name(chain_)) +
                                           " WHERE hash = ? ORDER BY seq LIMIT 1",
                                       {hash}));
      if (row) seq = as_integer((*row)[0]);
      return ok_status();
    }));
    return seq;
  }

  // When this entry links to an entry stored after it, the two were written
  // in the other order.
  Result<bool> explain_out_of_order(const Entry& e) {
    if (report_.first_break) return false;
    FD_ASSIGN_OR_RETURN(auto linked, seq_of_hash(e.prev_hash));
    if (!linked || *linked <= e.seq) return false;
    found(e.seq, BreakKind::kOutOfOrder,
          "the entry at seq " + std::to_string(e.seq) + " was written after the entry now at seq " +
              std::to_string(*linked) + ": entries were moved or their sequence numbers swapped");
    return true;
  }

  Status check(const Row& r) {
    const std::int64_t expected = report_.last_seq + 1;
    ++report_.count;
    if (!as_integer(r[0])) {
      found(expected, BreakKind::kAltered,
            "an entry after seq " + std::to_string(report_.last_seq) +
                " has a sequence number that is not a number");
      return ok_status();
    }
    const Entry e = read_entry(chain_, r);
    if (e.seq != expected) {
      if (e.seq > expected) {
        found(expected, BreakKind::kMissing,
              e.seq == expected + 1
                  ? "entry " + std::to_string(expected) +
                        " is missing (deleted): the next entry is seq " + std::to_string(e.seq)
                  : "entries " + std::to_string(expected) + " to " + std::to_string(e.seq - 1) +
                        " are missing (deleted)");
      } else {
        found(e.seq, BreakKind::kAltered,
              "the log starts at seq 1, but an entry has seq " + std::to_string(e.seq));
      }
    } else if (e.defect) {
      FD_ASSIGN_OR_RETURN(const bool moved, explain_out_of_order(e));
      if (!moved) found(e.seq, BreakKind::kAltered, *e.defect);
    } else if (e.prev_hash != report_.last_hash) {
      FD_ASSIGN_OR_RETURN(const bool moved, explain_out_of_order(e));
      if (!moved) {
        found(e.seq, BreakKind::kRelinked,
              e.seq == 1 ? "the first entry does not start the chain (its prev_hash is not zeros)"
                         : "entry " + std::to_string(e.seq) + " does not link to entry " +
                               std::to_string(e.seq - 1) + ", which matches its own hash: entry " +
                               std::to_string(e.seq - 1) +
                               " was replaced or re-hashed, or entries were renumbered");
      }
    }
    if (checkpoint_ && e.seq == checkpoint_->last_seq && e.hash != checkpoint_->last_hash) {
      found(e.seq, BreakKind::kDiverged,
            "the checkpoint taken at " + format_utc(checkpoint_->taken_at) + " ends at seq " +
                std::to_string(e.seq) + " with hash " + short_hash(checkpoint_->last_hash) +
                ", but the store has " + short_hash(e.hash) +
                " there: the history since was rewritten, or another copy of the database was "
                "restored");
    }
    report_.last_seq = std::max(e.seq, report_.last_seq);
    report_.last_hash = e.hash;
    return ok_status();
  }

  void check_against_checkpoint() {
    if (!checkpoint_) return;
    if (report_.last_seq < checkpoint_->last_seq || report_.count < checkpoint_->count) {
      found(report_.last_seq + 1, BreakKind::kBehindCheckpoint,
            "the checkpoint taken at " + format_utc(checkpoint_->taken_at) + " recorded " +
                std::to_string(checkpoint_->count) + " entries up to seq " +
                std::to_string(checkpoint_->last_seq) + ", but the store has " +
                std::to_string(report_.count) + " up to seq " + std::to_string(report_.last_seq) +
                ": entries were removed from the end, the table was truncated, or an older copy "
                "of the database was restored");
    }
  }

  Database& db_;
  Chain chain_;
  const std::optional<ChainCheckpoint>& checkpoint_;
  ChainReport report_;
};

Result<std::int64_t> integer_field(const nlohmann::json& j, const char* name) {
  if (!j.contains(name) || !j[name].is_number_integer() || j[name].get<std::int64_t>() < 0) {
    return Error::validation(std::string("checkpoint: \"") + name +
                             "\" must be a whole number of 0 or more");
  }
  return j[name].get<std::int64_t>();
}

bool is_hash(const nlohmann::json& j) {
  if (!j.is_string()) return false;
  const auto& s = j.get_ref<const std::string&>();
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::string_view chain_name(Chain chain) {
  return chain == Chain::kEvents ? "events" : "audit";
}

std::optional<Chain> parse_chain(std::string_view name) {
  if (name == "events") return Chain::kEvents;
  if (name == "audit") return Chain::kAudit;
  return std::nullopt;
}

std::string_view break_kind_name(BreakKind kind) {
  switch (kind) {
    case BreakKind::kAltered:
      return "altered";
    case BreakKind::kMissing:
      return "missing";
    case BreakKind::kOutOfOrder:
      return "out-of-order";
    case BreakKind::kRelinked:
      return "relinked";
    case BreakKind::kBehindCheckpoint:
      return "behind-checkpoint";
    case BreakKind::kDiverged:
      return "diverged";
  }
  return "unknown";
}

std::string ChainBreak::describe() const {
  return std::string(chain_name(chain)) + " seq " + std::to_string(seq) + ": " +
         std::string(break_kind_name(kind)) + ": " + detail;
}

ChainCheckpoint ChainReport::checkpoint(Instant taken_at) const {
  return ChainCheckpoint{chain, count, last_seq, last_hash, taken_at};
}

Result<ChainReport> verify_chain(Database& db, Chain chain,
                                 const std::optional<ChainCheckpoint>& checkpoint,
                                 const VerifyOptions& options) {
  if (options.batch_size < 1) return Error::validation("batch_size must be at least 1");
  return Walk(db, chain, checkpoint).run(options.batch_size);
}

const ChainCheckpoint* Checkpoint::find(Chain chain) const {
  for (const auto& c : chains) {
    if (c.chain == chain) return &c;
  }
  return nullptr;
}

nlohmann::json Checkpoint::to_json() const {
  nlohmann::json out{{"format", kCheckpointFormat},
                     {"version", kCheckpointVersion},
                     {"chains", nlohmann::json::array()}};
  for (const auto& c : chains) {
    out["chains"].push_back({{"chain", std::string(chain_name(c.chain))},
                             {"count", c.count},
                             {"last_seq", c.last_seq},
                             {"last_hash", c.last_hash},
                             {"taken_at", format_utc(c.taken_at)}});
  }
  return out;
}

Result<Checkpoint> Checkpoint::from_json(const nlohmann::json& json) {
  if (!json.is_object() || json.value("format", "") != kCheckpointFormat ||
      json.value("version", 0) != kCheckpointVersion || !json.contains("chains") ||
      !json["chains"].is_array()) {
    return Error::validation("not a Frontdoor checkpoint (written by `frontdoor checkpoint`)");
  }
  Checkpoint out;
  for (const auto& j : json["chains"]) {
    if (!j.is_object()) return Error::validation("checkpoint: each chain must be an object");
    ChainCheckpoint c;
    const auto chain = parse_chain(j.value("chain", ""));
    if (!chain) return Error::validation("checkpoint: \"chain\" must be events or audit");
    if (out.find(*chain) != nullptr) {
      return Error::validation("checkpoint: the " + std::string(chain_name(*chain)) +
                               " chain appears twice");
    }
    c.chain = *chain;
    FD_ASSIGN_OR_RETURN(c.count, integer_field(j, "count"));
    FD_ASSIGN_OR_RETURN(c.last_seq, integer_field(j, "last_seq"));
    if (!j.contains("last_hash") || !is_hash(j["last_hash"])) {
      return Error::validation("checkpoint: \"last_hash\" must be 64 lower-case hex digits");
    }
    c.last_hash = j["last_hash"].get<std::string>();
    const auto taken_at = parse_utc(j.value("taken_at", ""));
    if (!taken_at) return Error::validation("checkpoint: \"taken_at\" must be a UTC time");
    c.taken_at = *taken_at;
    out.chains.push_back(std::move(c));
  }
  return out;
}

Result<Checkpoint> read_checkpoint(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error::validation("cannot read the checkpoint " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  const auto json = nlohmann::json::parse(text.str(), nullptr, false);
  if (json.is_discarded()) {
    return Error::validation("the checkpoint " + file.string() + " is not valid JSON");
  }
  return Checkpoint::from_json(json);
}

Status write_checkpoint(const std::filesystem::path& file, const Checkpoint& checkpoint) {
  std::filesystem::path partial = file;
  partial += ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << checkpoint.to_json().dump(2) << "\n";
    out.flush();
    if (!out) return Error::unavailable("cannot write the checkpoint " + partial.string());
  }
  std::error_code ec;
  std::filesystem::rename(partial, file, ec);
  if (ec) {
    std::filesystem::remove(partial, ec);
    return Error::unavailable("cannot write the checkpoint " + file.string());
  }
  return ok_status();
}

bool VerifyReport::intact() const {
  return first_break() == nullptr;
}

const ChainBreak* VerifyReport::first_break() const {
  for (const auto& c : chains) {
    if (c.first_break) return &*c.first_break;
  }
  return nullptr;
}

std::string VerifyReport::summary() const {
  if (const ChainBreak* b = first_break()) return "BROKEN: " + b->describe();
  std::string out = "intact:";
  for (std::size_t i = 0; i < chains.size(); ++i) {
    const auto& c = chains[i];
    out += (i == 0 ? " " : ", ") + std::string(chain_name(c.chain)) + " " +
           std::to_string(c.count) + " entries (last seq " + std::to_string(c.last_seq) +
           ", hash " + short_hash(c.last_hash) + ")";
  }
  return out;
}

Checkpoint VerifyReport::checkpoint(Instant taken_at) const {
  Checkpoint out;
  for (const auto& c : chains) out.chains.push_back(c.checkpoint(taken_at));
  return out;
}

Result<VerifyReport> verify_all(Database& db, const std::optional<Checkpoint>& checkpoint,
                                const VerifyOptions& options) {
  VerifyReport report;
  for (const Chain chain : {Chain::kEvents, Chain::kAudit}) {
    std::optional<ChainCheckpoint> part;
    if (checkpoint) {
      if (const ChainCheckpoint* c = checkpoint->find(chain)) part = *c;
    }
    FD_ASSIGN_OR_RETURN(auto r, verify_chain(db, chain, part, options));
    report.chains.push_back(std::move(r));
  }
  return report;
}

}  // namespace frontdoor::storage
