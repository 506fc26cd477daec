#pragma once
// The backup and restore round trip of the audit-tampering battery:
// `frontdoor backup` while `frontdoor serve` is writing, `frontdoor restore`,
// and the restored store compared record by record with the backup and with
// the source at the backup's moment.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace frontdoor::reliability {

struct Battery {
  std::filesystem::path frontdoor;  // the binary under test
  std::filesystem::path work;       // scratch folder
  std::filesystem::path live;       // the data folder being served
  std::string writer_token;         // a partner referrer's API token (records contacts)
  std::string reader_token;         // a MASH social worker's API token (reads contacts: audited)
};

struct BackupFigures {
  std::int64_t writes_acknowledged = 0;         // contacts recorded during the round trip
  std::int64_t writes_during_backup = 0;        // acknowledged while `frontdoor backup` ran
  std::int64_t reads_during_backup = 0;         // audited reads acknowledged while it ran
  std::int64_t writes_before_backup_found = 0;  // acknowledged before it began, all in the backup
  std::int64_t tables = 0;
  std::int64_t rows_backup_vs_restored = 0;  // rows compared, every one identical
  std::int64_t rows_backup_vs_source = 0;    // backup rows found identical in the source
  std::int64_t rows_written_after = 0;       // source rows written after the backup's moment
  std::map<std::string, std::int64_t> written_after_by_table;
  std::int64_t backup_events = 0;
  std::int64_t backup_audit = 0;
  double backup_seconds = 0;
  int refusals = 0;  // broken backups and stores refused, a folder without a store
};

// Throws BatteryFailure when a check fails.
BackupFigures backup_round_trip(const Battery& battery);

}  // namespace frontdoor::reliability
