// Detection thresholds. Windows are in the scenario's (compressed) virtual time.

export interface DetectionConfig {
  /** CopyCatch's ±Δt: likes of one video within this window belong to one time cell. */
  readonly lockstepWindowMs: number
  /** CopyCatch's n: a time cell needs at least this many distinct likers to be dense. */
  readonly lockstepMinGroup: number
  /** Two dense cells of different videos are linked when their likers' Jaccard similarity reaches this. */
  readonly lockstepMinJaccard: number
  /** CopyCatch's ρ: a member must have liked this share of the cluster's videos inside its cells. */
  readonly lockstepMinShare: number
  /** ...and at least this many of them. */
  readonly lockstepMinVideos: number
  /** Only clusters spanning at least this many videos count as campaigns. */
  readonly lockstepMinClusterVideos: number
  /**
   * View lockstep (view farms): a time cell of a video's views is dense only when it holds this
   * many times the views the video gets per cell outside it. A popular video's audience fills
   * every cell of it, cell after cell, and those who watch the popular videos overlap: only a
   * burst above the video's own rate is lockstep. (Likes need no such test: far fewer of them.)
   */
  readonly viewBurstMin: number
  /** Co-like campaigns: two videos are linked when their shared likers reach this multiple of chance. */
  readonly coLikeMinLift: number
  /** ...and their shared likers are at least this share of both audiences together (Jaccard): a farm's cover likes on a popular video are a small part of its audience. */
  readonly coLikeMinJaccard: number
  /** A campaign (lockstep or co-like) spans videos of at least this many creators, and so does each member's share of it: fans like one creator together, farms serve many customers. */
  readonly campaignMinCreators: number
  /** Window for velocity and shared-IP-block rules. */
  readonly ruleWindowMs: number
  /** Accounts younger than this are "new" (REFERENCES: bot accounts are < 60 days old). */
  readonly newAccountAgeDays: number
  /** Likes in the lookback from which the volume rule fires. */
  readonly volumeMinLikes: number
  /** Likes in one rule window from which the velocity rule fires. */
  readonly velocityMinLikes: number
  /** Share of likes without a prior view from which that rule fires (needs >= ratioMinLikes likes). */
  readonly noViewMinShare: number
  readonly ratioMinLikes: number
  /** Distinct accounts of one /24 liking one video within the window that make a crowd. */
  readonly ipCrowdMinAccounts: number
  /** Rule score at which an account is flagged (each rule adds its weight). */
  readonly flagScore: number
}

export const DEFAULT_DETECTION: DetectionConfig = {
  lockstepWindowMs: 60_000,
  // 5, not 8: a 13-account farm (bot-purge's 50-account farm at scale 0.25) likes each of its 10
  // targets about 6 times in its burst; at 8 it was caught only by rules that people trip too.
  lockstepMinGroup: 5,
  lockstepMinJaccard: 0.2,
  lockstepMinShare: 0.2,
  lockstepMinVideos: 3,
  lockstepMinClusterVideos: 5,
  viewBurstMin: 4,
  coLikeMinLift: 8,
  coLikeMinJaccard: 0.15,
  campaignMinCreators: 3,
  ruleWindowMs: 60_000,
  newAccountAgeDays: 60,
  volumeMinLikes: 25,
  velocityMinLikes: 12,
  noViewMinShare: 0.6,
  ratioMinLikes: 4,
  ipCrowdMinAccounts: 5,
  flagScore: 3.5,
}
