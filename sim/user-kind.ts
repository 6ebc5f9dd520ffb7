// Who an account truly is (the world's ground truth), and the day the account facts count in.
export const UserKind = { Genuine: 0, CarelessBot: 1, StealthyBot: 2, Inactive: 3, Flood: 4 } as const
export type UserKind = (typeof UserKind)[keyof typeof UserKind]
export const USER_KIND_NAMES = ['genuine', 'careless', 'stealthy', 'inactive', 'flood'] as const

export const DAY_MS = 86_400_000
