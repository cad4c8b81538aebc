export { backupDue, backupName, backupsToPrune, backupTime } from './backup.core.js';
export { startMaintenance } from './backup.scheduler.js';
export { BackupError, createBackup, MANIFEST, type Manifest, readManifest, restoreBackup } from './backup.service.js';
