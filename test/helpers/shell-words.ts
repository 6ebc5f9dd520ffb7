// A command line's words as a POSIX shell splits them (single quotes, backslash escapes): how a
// test runs a result's replay command as a person would paste it.
export function shellWords(command: string): string[] {
  return [...command.matchAll(/(?:'[^']*'|\\.|[^\s'\\])+/g)].map((match) => match[0].replace(/'([^']*)'|\\(.)/g, (_all, quoted: string | undefined, escaped: string | undefined) => quoted ?? escaped ?? ''))
}
