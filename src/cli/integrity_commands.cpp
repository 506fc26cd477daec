#include "cli/integrity_commands.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "app/config.hpp"
#include "cli/options.hpp"
#include "storage/migrations.hpp"
#include "storage/postgres_database.hpp"
#include "storage/sqlite_database.hpp"
#include "storage/verify.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace frontdoor::cli {
namespace {

constexpr int kBroken = 3;
constexpr const char* kStoreFile = "frontdoor.db";

std::string postgres_refusal(const std::string& command) {
  return "frontdoor " + command +
         " is for the SQLite store, and this data folder's store is PostgreSQL (database_url). "
         "Back PostgreSQL up with pg_dump or a base backup (pg_basebackup), restore with "
         "pg_restore or the base backup, and check the result with `frontdoor verify`: see "
         "docs/POSTGRESQL.md.";
}

// A SQLite file that holds a Frontdoor store, opened as it is: never created,
// never migrated.
Result<std::unique_ptr<storage::SqliteDatabase>> open_sqlite_file(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    return Error::validation(file.string() + " does not exist (or is not a file)");
  }
  auto db = storage::SqliteDatabase::open(storage::SqliteOptions{file, 1, true});
  if (!db.ok()) {
    return Error::validation(file.string() + " cannot be opened as a SQLite database");
  }
  auto version = storage::schema_version(**db);
  if (!version.ok() || *version == 0) {
    return Error::validation(file.string() + " is not a Frontdoor store (it has no schema)");
  }
  return std::move(db).value();
}

}  // namespace

Result<std::unique_ptr<storage::Database>> open_store(const app::Config& config) {
  if (config.database_url.empty()) {
    FD_ASSIGN_OR_RETURN(auto db, open_sqlite_file(config.data_dir / kStoreFile));
    return std::unique_ptr<storage::Database>(std::move(db));
  }
  storage::PostgresOptions options;
  options.url = config.database_url;
  options.pool_size = 1;
  FD_ASSIGN_OR_RETURN(auto db, storage::PostgresDatabase::open(options));
  FD_ASSIGN_OR_RETURN(const int version, storage::schema_version(*db));
  if (version == 0) {
    return Error::validation("the PostgreSQL schema of database_url holds no Frontdoor store");
  }
  return std::unique_ptr<storage::Database>(std::move(db));
}

namespace {

// Prints the report; the exit status for it.
int print_report(const storage::VerifyReport& report, const std::string& what) {
  if (report.intact()) {
    std::cout << "frontdoor " << what << ": " << report.summary() << std::endl;
    return 0;
  }
  std::cout << "frontdoor " << what << ": " << report.summary() << "\n";
  for (const auto& c : report.chains) {
    std::cout << "  " << storage::chain_name(c.chain) << ": " << c.count
              << " entries read up to seq " << c.last_seq << ", " << c.bad_entries
              << (c.bad_entries == 1 ? " fails" : " fail") << " a check\n";
  }
  std::cout << std::flush;
  return kBroken;
}

// Makes a rename in `dir` durable.
void sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

bool same_chains(const storage::VerifyReport& a, const storage::VerifyReport& b) {
  if (a.chains.size() != b.chains.size()) return false;
  for (std::size_t i = 0; i < a.chains.size(); ++i) {
    const auto& x = a.chains[i];
    const auto& y = b.chains[i];
    if (x.chain != y.chain || x.count != y.count || x.last_seq != y.last_seq ||
        x.last_hash != y.last_hash) {
      return false;
    }
  }
  return true;
}

std::string stamp(Instant t) {
  std::string s = format_utc(t);
  for (char& c : s) {
    if (c == ':') c = '-';
  }
  return s;
}

}  // namespace

int verify_command(const std::vector<std::string>& args) {
  po::options_description desc("Options");
  std::string data = "data";
  std::string checkpoint_file;
  std::string file;
  desc.add_options()("data", po::value<std::string>(&data)->default_value("data"),
                     "data folder (its frontdoor.db, or the database_url it configures)")(
      "checkpoint", po::value<std::string>(&checkpoint_file)->value_name("FILE"),
      "also check against a checkpoint from `frontdoor checkpoint`: shows a truncated log or an "
      "older copy of the database")("file", po::value<std::string>(&file)->value_name("DB"),
                                    "check this SQLite file (a backup) instead of the data folder");
  po::variables_map vm;
  if (!parse(desc, args, vm,
             "Usage: frontdoor verify [--data DIR] [--checkpoint FILE] [--file DB]\n"
             "Checks the event and audit hash chains. Exit status 0: intact; 3: broken (the "
             "first break is printed); 1: could not check.")) {
    return vm.count("help") != 0 ? 0 : 2;
  }
  std::optional<storage::Checkpoint> checkpoint;
  if (!checkpoint_file.empty()) {
    auto read = storage::read_checkpoint(checkpoint_file);
    if (!read.ok()) return fail(read.error());
    checkpoint = std::move(read).value();
  }
  std::unique_ptr<storage::Database> db;
  if (!file.empty()) {
    auto opened = open_sqlite_file(file);
    if (!opened.ok()) return fail(opened.error());
    db = std::move(opened).value();
  } else {
    auto config = app::Config::load(data);
    if (!config.ok()) return fail(config.error());
    auto opened = open_store(*config);
    if (!opened.ok()) return fail(opened.error());
    db = std::move(opened).value();
  }
  auto report = storage::verify_all(*db, checkpoint);
  if (!report.ok()) return fail(report.error());
  return print_report(*report, checkpoint ? "verify (with the checkpoint)" : "verify");
}

int checkpoint_command(const std::vector<std::string>& args) {
  po::options_description desc("Options");
  std::string data = "data";
  std::string out;
  desc.add_options()("data", po::value<std::string>(&data)->default_value("data"),
                     "data folder (its frontdoor.db, or the database_url it configures)")(
      "out", po::value<std::string>(&out)->required()->value_name("FILE"),
      "where to write the checkpoint (JSON); - for standard output");
  po::variables_map vm;
  if (!parse(desc, args, vm,
             "Usage: frontdoor checkpoint [--data DIR] --out FILE\n"
             "Verifies both hash chains, then writes their counts, last sequence numbers and last\n"
             "hashes. Keep it away from the database: `frontdoor verify --checkpoint FILE` then\n"
             "shows a truncated log or an older copy of the database put back.")) {
    return vm.count("help") != 0 ? 0 : 2;
  }
  auto config = app::Config::load(data);
  if (!config.ok()) return fail(config.error());
  auto db = open_store(*config);
  if (!db.ok()) return fail(db.error());
  auto report = storage::verify_all(**db);
  if (!report.ok()) return fail(report.error());
  if (!report->intact()) {
    std::cout << "frontdoor checkpoint: no checkpoint written: the chains are broken\n";
    return print_report(*report, "verify");
  }
  const storage::Checkpoint checkpoint = report->checkpoint(SystemClock{}.now());
  if (out == "-") {
    std::cout << checkpoint.to_json().dump(2) << std::endl;
    return 0;
  }
  auto written = storage::write_checkpoint(out, checkpoint);
  if (!written.ok()) return fail(written.error());
  std::cout << "frontdoor checkpoint: written to " << out << ": " << report->summary() << std::endl;
  return 0;
}

int backup_command(const std::vector<std::string>& args) {
  po::options_description desc("Options");
  std::string data = "data";
  std::string to;
  desc.add_options()("data", po::value<std::string>(&data)->default_value("data"), "data folder")(
      "to", po::value<std::string>(&to)->required()->value_name("FILE"), "the backup file")(
      "force", "replace FILE if it exists");
  po::variables_map vm;
  if (!parse(desc, args, vm,
             "Usage: frontdoor backup [--data DIR] --to FILE [--force]\n"
             "Copies the SQLite store with SQLite's online backup, safe while a server is\n"
             "writing (the copy is one consistent moment), then verifies the copy's hash chains.\n"
             "For PostgreSQL use pg_dump or base backups (docs/POSTGRESQL.md).")) {
    return vm.count("help") != 0 ? 0 : 2;
  }
  auto config = app::Config::load(data);
  if (!config.ok()) return fail(config.error());
  if (!config->database_url.empty()) return fail(Error::validation(postgres_refusal("backup")));
  const fs::path target = to;
  std::error_code ec;
  if (fs::exists(target, ec) && vm.count("force") == 0) {
    return fail(Error::validation(target.string() +
                                  " already exists: choose another name, or pass --force"));
  }
  auto source = open_sqlite_file(config->data_dir / kStoreFile);
  if (!source.ok()) return fail(source.error());
  fs::path partial = target;
  partial += ".partial";
  fs::remove(partial, ec);
  if (auto copied = (*source)->backup_to(partial); !copied.ok()) {
    fs::remove(partial, ec);
    return fail(Error::unavailable("the backup to " + partial.string() +
                                   " failed: " + copied.error().message));
  }
  source->reset();
  {
    auto copy = open_sqlite_file(partial);
    if (!copy.ok()) return fail(copy.error());
    auto report = storage::verify_all(**copy);
    if (!report.ok()) return fail(report.error());
    if (!report->intact()) {
      copy->reset();
      fs::remove(partial, ec);
      std::cout << "frontdoor backup: the copy was not kept: its chains are broken (and so are "
                   "the store's: run frontdoor verify)\n";
      return print_report(*report, "verify");
    }
    copy->reset();  // the last connection: its WAL is folded in and removed
    fs::rename(partial, target, ec);
    if (ec) return fail(Error::unavailable("cannot rename the backup to " + target.string()));
    sync_directory(fs::absolute(target).parent_path());
    std::cout << "frontdoor backup: " << (config->data_dir / kStoreFile).string() << " copied to "
              << target.string() << " and verified: " << report->summary() << std::endl;
  }
  return 0;
}

int restore_command(const std::vector<std::string>& args) {
  po::options_description desc("Options");
  std::string data;
  std::string from;
  desc.add_options()("from", po::value<std::string>(&from)->required()->value_name("FILE"),
                     "the backup file (from `frontdoor backup`)")(
      "data", po::value<std::string>(&data)->required()->value_name("DIR"),
      "the data folder to restore into")(
      "force", "replace the data folder's store (kept beside it as frontdoor.db.replaced-TIME)");
  po::variables_map vm;
  if (!parse(desc, args, vm,
             "Usage: frontdoor restore --from FILE --data DIR [--force]\n"
             "Verifies the backup's hash chains, then copies it into DIR/frontdoor.db. Stop\n"
             "every server using DIR first. An existing store is replaced only with --force.")) {
    return vm.count("help") != 0 ? 0 : 2;
  }
  auto config = app::Config::load(data);
  if (!config.ok()) return fail(config.error());
  if (!config->database_url.empty()) return fail(Error::validation(postgres_refusal("restore")));
  auto backup = open_sqlite_file(from);
  if (!backup.ok()) return fail(backup.error());
  auto before = storage::verify_all(**backup);
  if (!before.ok()) return fail(before.error());
  if (!before->intact()) {
    std::cout << "frontdoor restore: nothing restored: the backup's chains are broken\n";
    return print_report(*before, "verify");
  }
  const fs::path store = config->data_dir / kStoreFile;
  std::error_code ec;
  std::optional<fs::path> kept;
  if (fs::exists(store, ec)) {
    if (vm.count("force") == 0) {
      return fail(Error::validation(
          config->data_dir.string() +
          " already holds a store (frontdoor.db). Stop every server using it and pass --force to "
          "replace it; the store replaced is kept beside it."));
    }
    auto current = open_sqlite_file(store);
    if (!current.ok()) return fail(current.error());
    kept = store;
    *kept += ".replaced-" + stamp(SystemClock{}.now());
    if (auto saved = (*current)->backup_to(*kept); !saved.ok()) {
      return fail(Error::unavailable("the current store could not be kept as " + kept->string() +
                                     "; nothing restored"));
    }
  }
  fs::create_directories(config->data_dir, ec);
  // The backup API writes into the store through SQLite, in one transaction,
  // so a store in WAL mode is replaced whole, with its WAL.
  if (auto copied = (*backup)->backup_to(store); !copied.ok()) {
    return fail(Error::unavailable("the restore into " + store.string() +
                                   " failed: " + copied.error().message));
  }
  backup->reset();
  auto restored = open_sqlite_file(store);
  if (!restored.ok()) return fail(restored.error());
  auto after = storage::verify_all(**restored);
  if (!after.ok()) return fail(after.error());
  if (!after->intact() || !same_chains(*after, *before)) {
    std::cout << "frontdoor restore: the restored store does not match the backup\n";
    return print_report(*after, "verify");
  }
  std::cout << "frontdoor restore: " << from << " restored into " << store.string()
            << " and verified: " << after->summary() << "\n";
  if (kept) std::cout << "  the store it replaced is kept as " << kept->string() << "\n";
  std::cout << std::flush;
  return 0;
}

}  // namespace frontdoor::cli
