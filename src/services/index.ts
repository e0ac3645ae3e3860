/**
 * The use cases, wired once over a store: what `callqa serve` (src/api) and the CLI call. Nothing here keeps
 * state between requests; everything lives in the database.
 */
import { resolvePipeline } from '../pipeline/loader.js';
import { reviewSettings, serverTimeZone, type ReviewSettings } from '../review/settings.js';
import type { ReviewPolicy } from '../score/schema.js';
import type { Store } from '../store/db.js';
import { ReviewsRepo } from '../store/reviews-repo.js';
import { AuditService } from './audit.js';
import { AuthService, DEFAULT_AUTH_SETTINGS, type AuthSettings } from './auth.js';
import { CallAccess } from './call-access.js';
import { CallMediaService, defaultMediaDir } from './call-media.js';
import { CallsService } from './calls.js';
import { DisputeService } from './disputes.js';
import { programCompanyNumbers } from './privacy.js';
import { ReviewService } from './reviews.js';
import { CalibrationService } from './calibration.js';
import { programReviewPolicy, ReviewQueueService } from './review-queue.js';
import { PersonalDataService, type QueueJobs } from './personal-data.js';
import { RulesAccuracyService } from './rules-accuracy.js';
import { UsersService } from './users.js';

export interface ServiceOptions {
  /** the clock (tests inject one); default: the system clock */
  now?: () => Date;
  /** a QA program's review settings by pipeline id; default: `review:` of pipelines/<id>.yaml */
  reviewSettings?: (pipelineId: string) => ReviewSettings;
  auth?: Partial<AuthSettings>;
  /** a QA program's review policy (sampling, quotas, triage, calibration); default: `review:` of pipelines/<id>.yaml */
  reviewPolicy?: (pipelineId: string) => ReviewPolicy;
  /** where playable copies and peaks are cached (default: CALLQA_MEDIA_DIR or <data folder>/media) */
  mediaDir?: string;
  /** the queue's jobs, for an erasure to remove the erased calls' (a queue deployment; absent: none) */
  queueJobs?: QueueJobs;
  /** a QA program's own numbers, never masked in an answer; default: `privacy.companyNumbers` of pipelines/<id>.yaml */
  companyNumbers?: (pipelineId: string) => readonly string[];
}

export interface Services {
  store: Store;
  now: () => Date;
  audit: AuditService;
  users: UsersService;
  auth: AuthService;
  access: CallAccess;
  calls: CallsService;
  reviews: ReviewService;
  disputes: DisputeService;
  media: CallMediaService;
  reviewSettings: (pipelineId: string) => ReviewSettings;
  /** a QA program's own numbers (its `privacy.companyNumbers`): what every masked answer keeps readable */
  companyNumbers: (pipelineId: string) => readonly string[];
  /** triage queue, sampling plan, assignment (review-queue.ts) */
  queue: ReviewQueueService;
  calibration: CalibrationService;
  rulesAccuracy: RulesAccuracyService;
  /** data-subject requests and retention: find, export and erase a customer's calls */
  personalData: PersonalDataService;
}

/** Review settings from the program file; a program that is gone (renamed, deleted) gets the defaults. */
export function programReviewSettings(pipelineId: string): ReviewSettings {
  let raw: unknown;
  try {
    raw = resolvePipeline(pipelineId).review.disputes;
  } catch {
    raw = undefined;
  }
  return reviewSettings(raw, serverTimeZone());
}

export function createServices(store: Store, opts: ServiceOptions = {}): Services {
  const now = opts.now ?? (() => new Date());
  const settingsFor = opts.reviewSettings ?? programReviewSettings;
  const companyNumbers = opts.companyNumbers ?? programCompanyNumbers;
  const audit = new AuditService(store.db, now);
  const access = new CallAccess(store.db);
  const reviewsRepo = new ReviewsRepo(store.db);
  const calibration = new CalibrationService(store.db, access, audit, opts.reviewPolicy ?? programReviewPolicy, now);
  return {
    store,
    now,
    audit,
    users: new UsersService(store.db, audit, now),
    auth: new AuthService(store.db, audit, now, { ...DEFAULT_AUTH_SETTINGS, ...opts.auth }),
    access,
    calls: new CallsService(access, reviewsRepo, store.repo, audit, settingsFor, now, companyNumbers, (user) => calibration.blindCalls(user)),
    reviews: new ReviewService(access, reviewsRepo, audit, now, companyNumbers, async (runId) => (await store.repo.getRunReport(runId))?.transcript?.segments ?? [], (user) => calibration.blindCalls(user)),
    disputes: new DisputeService(access, reviewsRepo, audit, settingsFor, now, companyNumbers, (user) => calibration.blindCalls(user)),
    media: new CallMediaService(access, store, audit, { cacheDir: opts.mediaDir ?? defaultMediaDir() }),
    reviewSettings: settingsFor,
    companyNumbers,
    queue: new ReviewQueueService(store.db, access, audit, opts.reviewPolicy ?? programReviewPolicy, now, (user) => calibration.blindCalls(user)),
    calibration,
    rulesAccuracy: new RulesAccuracyService(store.db, access, store.repo, audit, (user) => calibration.blindCalls(user)),
    personalData: new PersonalDataService(store, audit, { mediaDir: opts.mediaDir ?? defaultMediaDir(), now, jobs: opts.queueJobs }),
  };
}
