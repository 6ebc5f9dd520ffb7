// What a target declares it supports, so that LikeStorm judges it by what it offers: the
// capabilities document, served at GET /.well-known/likestorm.json (or handed to `run` in a file
// with --target-profile). One TypeBox schema for the mock server, which serves its own, and for the
// driver, which validates a target's; docs/targets.md documents every field.
import { Type, type Static } from 'typebox'
import { Ajv, type ErrorObject } from 'ajv'
import { DEFAULT_CORE_CONFIG } from '../core/config.ts'

export const CAPABILITIES_PATH = '/.well-known/likestorm.json'
export const CAPABILITIES_VERSION = 1
/** Regions a document may name (a bound on what the driver builds pools for). */
export const CAPABILITY_REGIONS_MAX = 64
/** Notifications per user a target keeps, unless it says otherwise: the mock server's inboxMax. */
export const NOTIFICATIONS_KEPT_DEFAULT = DEFAULT_CORE_CONFIG.inboxMax
/** The most a document may declare (a bound on an inbox read). */
export const NOTIFICATIONS_KEPT_MAX = 10_000

/** A string out of a few, as a JSON Schema enum (so a wrong value's error names the allowed ones). */
function choice<T extends string>(values: readonly T[], description: string) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], description })
}

export const TargetCapabilities = Type.Object(
  {
    version: Type.Literal(CAPABILITIES_VERSION, { description: 'the version of this document format' }),
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'what the service calls itself (shown in the result)' })),
    regions: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }), Type.Union([Type.String({ minLength: 1, maxLength: 2048 }), Type.Null()]), {
        additionalProperties: false,
        description:
          "the service's regions and each one's base URL (null: not listening now). Regions named like the scenario's take that region's traffic; a single region of any name is one front door for every region of the scenario",
      }),
    ),
    likedLists: Type.Optional(Type.Boolean({ description: 'serves GET /v1/users/:userId/likes (a paged list of liked video ids); default false' })),
    notifications: Type.Optional(Type.Boolean({ description: 'serves GET /v1/users/:userId/notifications, newest first; judged only when it holds the world (who created which video); default false' })),
    notificationsMax: Type.Optional(
      Type.Integer({ minimum: 1, maximum: NOTIFICATIONS_KEPT_MAX, description: `the newest notifications it keeps per user (an inbox read asks for this many; a full inbox may have let go of older ones); default ${NOTIFICATIONS_KEPT_DEFAULT}` }),
    ),
    world: Type.Optional(
      choice(
        ['none', 'loaded'] as const,
        "loaded: it holds the run's world (users, videos and their creators, seeded likes), loaded from `likestorm world export` or taken by the provisioning request; none: it takes ids on first use; default none",
      ),
    ),
    staleness: Type.Optional(
      choice(['none', 'asOf'] as const, 'asOf: answers carry asOfMs (the time of the state they show, ms on the service\'s own clock) and stale (whether they are last-known-good); default none'),
    ),
    admin: Type.Optional(
      choice(['none', 'likestorm'] as const, 'likestorm: serves LikeStorm\'s admin API under /admin/v1 with a bearer token (state, faults, purges, takedowns, reset); default none'),
    ),
    provisioning: Type.Optional(
      Type.Object(
        { path: Type.String({ minLength: 1, maxLength: 256, pattern: '^/[A-Za-z0-9_./-]*$', description: 'where it takes the world: POST, application/x-ndjson, the format of `likestorm world export`' }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: true, description: 'what a target supports; unknown fields are ignored, so a later version can add some' },
)
export type TargetCapabilities = Static<typeof TargetCapabilities>

let validate: ((value: unknown) => boolean) & { errors?: ErrorObject[] | null } | undefined

/** Every problem of a document, one line each (empty: it is valid). */
export function capabilityProblems(value: unknown): string[] {
  validate ??= new Ajv({ allErrors: true, strict: false }).compile(TargetCapabilities)
  if (validate(value)) {
    const regions = Object.keys((value as TargetCapabilities).regions ?? {}).length
    return regions > CAPABILITY_REGIONS_MAX ? [`regions: at most ${CAPABILITY_REGIONS_MAX}, got ${regions}`] : []
  }
  return (validate.errors ?? []).map(describe)
}

function describe(error: ErrorObject): string {
  const at = error.instancePath === '' ? '(document)' : error.instancePath.slice(1).replaceAll('/', '.')
  const params = error.params as Record<string, unknown>
  if (error.keyword === 'additionalProperties') return `${at}: ${JSON.stringify(params['additionalProperty'])} is not allowed here${at === 'regions' ? ' (a region name is 1 to 64 of A-Z a-z 0-9 _ - .)' : ''}`
  if (error.keyword === 'enum') return `${at}: must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
  if (error.keyword === 'const') return `${at}: must be ${JSON.stringify(params['allowedValue'])}`
  return `${at}: ${error.message ?? 'invalid'}`
}

/** The mock server's own document: every capability (it builds the world of its --scenario, --seed and --scale), its regions at the URLs they listen on. */
export function mockServerCapabilities(urls: Readonly<Record<string, string | null>>): TargetCapabilities {
  return { version: CAPABILITIES_VERSION, service: 'likestorm mock server', regions: { ...urls }, likedLists: true, notifications: true, notificationsMax: NOTIFICATIONS_KEPT_DEFAULT, world: 'loaded', staleness: 'asOf', admin: 'likestorm' }
}
