// Preloaded (node --import) into a child the memory benchmark runs: at exit it writes the
// process's peak resident set to the file LIKESTORM_PEAK_RSS_FILE names, since a parent cannot
// read a finished child's rusage from Node.
import { writeFileSync } from 'node:fs'

const file = process.env.LIKESTORM_PEAK_RSS_FILE
if (file !== undefined && file !== '') {
  process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)))
}
