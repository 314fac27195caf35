import { acceptedExtensions, isAcceptedFileName, type UploadSource } from "./uploadPlan";

/** A file that could not be read as a document, with the reason in words. */
export interface UnreadableFile {
  name: string;
  reason: string;
}

/**
 * Reads picked or dropped files as text, in order. Files of another type, and files so large that
 * they must be over the character limit, are reported without being read into memory.
 */
export async function readUploadFiles(files: File[], maxDocumentLength: number): Promise<(UploadSource | UnreadableFile)[]> {
  return Promise.all(
    files.map(async (file): Promise<UploadSource | UnreadableFile> => {
      if (!isAcceptedFileName(file.name)) {
        return { name: file.name, reason: `Not a text file: only ${acceptedExtensions.join(", ")} files can be uploaded.` };
      }
      // UTF-8 spends at most 4 bytes on a character: beyond this the text is surely too long.
      if (file.size > maxDocumentLength * 4) {
        return { name: file.name, reason: `Too big: ${formatBytes(file.size)}; a document may have at most ${maxDocumentLength.toLocaleString("en")} characters. Split it into smaller files.` };
      }
      try {
        return { name: file.name, text: await file.text() };
      } catch (error) {
        return { name: file.name, reason: `Could not be read: ${(error as Error).message}` };
      }
    }),
  );
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
