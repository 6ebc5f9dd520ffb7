// How an attempt ended, as the history records it (Jepsen's ok | fail | info, and pending for an
// attempt still unanswered when the run stopped).

export const Outcome = { Ok: 0, Fail: 1, Indeterminate: 2, Pending: 3 } as const
export type Outcome = (typeof Outcome)[keyof typeof Outcome]
export const OUTCOME_NAMES = ['ok', 'fail', 'indeterminate', 'pending'] as const
