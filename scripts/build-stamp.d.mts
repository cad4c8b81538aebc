export declare const BUILD_INPUTS: string[];
export declare const BUILD_OUTPUTS: string[];
export declare const STAMP_FILE: string;
export declare function computeStamp(root: string): { hash: string; files: number };
export declare function readStamp(root: string): string | null;
export declare function writeStamp(root: string, hash: string): void;
export declare function staleReason(root: string, hash: string): string | null;
