// A usage error as the one line the command prints: `likestorm run: … [LS_CODE]`. Most messages
// name their command; the others get the tool's name.
import type { UsageError } from '../scenarios/errors.ts'

export function usageErrorLine(error: UsageError): string {
  return `${error.message.startsWith('likestorm ') ? '' : 'likestorm: '}${error.message} [${error.code}]\n`
}
