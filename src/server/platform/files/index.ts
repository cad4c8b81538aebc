export { createFileStore, type FileStore, FileStoreError, type FileStoreErrorCode, isSha256, type StoredFile, sha256Hex } from './file-store.js';
export {
  ALLOWED_EXTENSIONS,
  type AllowedExt,
  contentDisposition,
  type DetectedType,
  type SniffResult,
  safeDownloadName,
  sniff,
  type TextCharset,
} from './file-types.js';
