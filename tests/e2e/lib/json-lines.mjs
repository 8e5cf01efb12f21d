import fs from 'node:fs';

/** The objects of a JSON-lines file (a log of the test bed or of a runner); none when the file does not exist. */
export function readJsonLines(file) {
  if (!fs.existsSync(file)) {
    return [];
  }
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}
