/**
 * Issue 17, finding 7: the login lockout holds under concurrency and across relay nodes, unknown
 * usernames are locked like known ones, and failed credentials from one client address are rate
 * limited (429 with Retry-After). Wrong old passwords in a password change and wrong activation
 * codes count like wrong passwords at login.
 */
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  ApiClient,
  USER_PASSWORD,
  adminClient,
  createTestDatabase,
  startTestRelay,
} from '../../utils/relay'
import type { TestDatabase, TestRelay, TestRelayOptions } from '../../utils/relay'
import type { ApiAuditEntry } from '../../../shared/api'

const REDIS_URL = process.env.QILU_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const MAX_FAILURES = 5

interface Setup {
  readonly name: string
  readonly postgres: boolean
  readonly nodes: number
  readonly redis: boolean
}

/** An answer to a login, with what the tests look at. */
interface Answer {
  readonly status: number
  readonly code: string | null
  readonly message: string
  readonly retryAfter: string | null
}

/** Relay nodes of one deployment (one database, and one Redis when asked). */
class Deployment {
  nodes: TestRelay[] = []
  private database: TestDatabase | null = null
  admin!: ApiClient
  readonly redisPrefix = `qilu-test-limits-${process.pid}-${Date.now()}-${Math.random()}`

  constructor(private readonly setup: Setup) {}

  async start(options: TestRelayOptions): Promise<void> {
    this.database = this.setup.postgres ? await createTestDatabase() : null
    const redisPrefix = this.redisPrefix
    for (let i = 0; i < this.setup.nodes; i++) {
      this.nodes.push(
        await startTestRelay({
          ...options,
          databaseUrl: this.database?.url ?? null,
          redisUrl: this.setup.redis ? REDIS_URL : null,
          redisPrefix,
        }),
      )
    }
    this.admin = await adminClient(this.nodes[0]!)
  }

  async stop(): Promise<void> {
    for (const node of this.nodes) {
      await node.close()
    }
    await this.database?.drop()
  }

  /** The node for the i-th request: requests alternate between the nodes. */
  node(i: number): TestRelay {
    return this.nodes[i % this.nodes.length]!
  }

  async createUser(
    username: string,
    password: string | null = USER_PASSWORD,
  ): Promise<{ id: string; activationCode?: string }> {
    const { status, body } = await this.admin.request<{ id: string; activationCode?: string }>(
      'POST',
      '/admin/users',
      {
        username,
        displayName: username,
        ...(password === null ? {} : { password }),
      },
    )
    expect(status).toBe(201)
    return body
  }

  async login(
    i: number,
    username: string,
    password: string,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    return send(this.node(i).url, 'POST', '/auth/login', { username, password }, headers)
  }

  async audit(action: string): Promise<ApiAuditEntry[]> {
    const { body } = await this.admin.request<{ entries: ApiAuditEntry[] }>(
      'GET',
      `/admin/audit?action=${action}&limit=500`,
    )
    return body.entries
  }
}

async function send(
  baseUrl: string,
  method: string,
  route: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${baseUrl}/api/v1${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  const text = await response.text()
  const parsed = (text === '' ? null : JSON.parse(text)) as {
    error?: { code: string; message: string }
  } | null
  return {
    status: response.status,
    code: parsed?.error?.code ?? null,
    message: parsed?.error?.message ?? '',
    retryAfter: response.headers.get('retry-after'),
  }
}

function count(answers: readonly Answer[], status: number): number {
  return answers.filter((a) => a.status === status).length
}

const SETUPS: Setup[] = [
  { name: 'one node on SQLite', postgres: false, nodes: 1, redis: false },
  { name: 'two nodes on one PostgreSQL', postgres: true, nodes: 2, redis: false },
  { name: 'two nodes on one PostgreSQL and one Redis', postgres: true, nodes: 2, redis: true },
]

describe.each(SETUPS)('the lockout, $name', (setup) => {
  const deployment = new Deployment(setup)

  beforeAll(async () => {
    // The per-address limit stays out of the way here; it has its own tests below.
    await deployment.start({
      authLimits: { addressMaxFailures: 100_000, passwordChangeMaxAttempts: 8 },
    })
  })

  afterAll(async () => {
    await deployment.stop()
  })

  test('240 parallel wrong guesses over the nodes get five password checks, then the right password answers 423', async () => {
    await deployment.createUser('target')
    const answers = await Promise.all(
      Array.from({ length: 240 }, (_, i) => deployment.login(i, 'target', `Wrong#Guess${i}`)),
    )
    expect(count(answers, 200)).toBe(0)
    expect(count(answers, 401)).toBe(MAX_FAILURES)
    expect(count(answers, 423)).toBe(240 - MAX_FAILURES)
    const right = await deployment.login(1, 'target', USER_PASSWORD)
    expect(right.status).toBe(423)
    expect(right.code).toBe('locked_out')
    expect(Number(right.retryAfter)).toBeGreaterThan(0)
    expect(
      (await deployment.audit('auth.lockout')).some((e) => e.detail.username === 'target'),
    ).toBe(true)
  })

  test('a right password sent once five of a burst of 39 wrong ones have answered is refused with 423', async () => {
    await deployment.createUser('burst')
    let answered = 0
    let fifth: () => void = () => {}
    const fiveAnswered = new Promise<void>((resolve) => (fifth = resolve))
    const wrong = Array.from({ length: 39 }, (_, i) =>
      deployment.login(i, 'burst', `Wrong#Guess${i}`).then((answer) => {
        answered++
        if (answered === MAX_FAILURES) {
          fifth()
        }
        return answer
      }),
    )
    await fiveAnswered
    const right = await deployment.login(0, 'burst', USER_PASSWORD)
    const answers = await Promise.all(wrong)
    expect(count(answers, 200)).toBe(0)
    expect(right.status).toBe(423)
  })

  test('an unknown username is answered like a known one: five 401s, then 423 with the same message', async () => {
    await deployment.createUser('known')
    const known: Answer[] = []
    const unknown: Answer[] = []
    for (let i = 0; i <= MAX_FAILURES; i++) {
      known.push(await deployment.login(i, 'known', 'Wrong#Pass123'))
      unknown.push(await deployment.login(i, 'nobody-here', 'Wrong#Pass123'))
    }
    expect(known.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 423])
    expect(unknown.map((a) => a.status)).toEqual(known.map((a) => a.status))
    const shape = (a: Answer) => `${a.code} ${a.message.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'T')}`
    expect(unknown.map(shape)).toEqual(known.map(shape))
    expect(known[MAX_FAILURES - 1]!.message).toContain('锁定')
  })

  test('the lock holds whatever the case of the username', async () => {
    await deployment.createUser('casey')
    const answers: Answer[] = []
    for (const name of ['casey', 'Casey', 'CASEY', 'cAsEy', 'caseY', 'Casey']) {
      answers.push(await deployment.login(answers.length, name, 'Wrong#Pass123'))
    }
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 423])
  })

  test('wrong old passwords in password changes count toward the same lock', async () => {
    await deployment.createUser('changer')
    const { token } = await new ApiClient(deployment.node(0).url).login('changer', USER_PASSWORD)
    const change = (i: number, oldPassword: string) =>
      send(
        deployment.node(i).url,
        'POST',
        '/auth/password',
        { oldPassword, newPassword: 'Shandong#2026x' },
        {
          authorization: `Bearer ${token}`,
        },
      )
    for (let i = 0; i < MAX_FAILURES; i++) {
      const wrong = await change(i, `Wrong#Old${i}`)
      expect(wrong.status).toBe(400)
      expect(wrong.code).toBe('invalid_credentials')
    }
    const right = await change(MAX_FAILURES, USER_PASSWORD)
    expect(right.status).toBe(423)
    expect((await deployment.login(0, 'changer', USER_PASSWORD)).status).toBe(423)
  })

  test('password change attempts of one account are limited with 429 and Retry-After', async () => {
    await deployment.createUser('fiddler')
    const { token } = await new ApiClient(deployment.node(0).url).login('fiddler', USER_PASSWORD)
    const answers: Answer[] = []
    for (let i = 0; i < 9; i++) {
      answers.push(
        await send(
          deployment.node(i).url,
          'POST',
          '/auth/password',
          { oldPassword: USER_PASSWORD, newPassword: 'short' },
          {
            authorization: `Bearer ${token}`,
          },
        ),
      )
    }
    expect(answers.slice(0, 8).map((a) => a.code)).toEqual(Array(8).fill('weak_password'))
    expect(answers[8]).toMatchObject({ status: 429, code: 'rate_limited' })
    expect(Number(answers[8]!.retryAfter)).toBeGreaterThan(0)
    expect(answers[8]!.message).toMatch(/请 \d+ 秒后再试/)
  })

  test('wrong activation codes lock a new account like wrong passwords, and an admin reset unlocks it', async () => {
    const { id, activationCode } = await deployment.createUser('fresh', null)
    for (let i = 0; i < MAX_FAILURES; i++) {
      expect((await deployment.login(i, 'fresh', `AAAAA-BBBBB-CCCCC-DDDD${i}`)).status).toBe(401)
    }
    expect((await deployment.login(0, 'fresh', activationCode!)).status).toBe(423)
    const reset = await deployment.admin.request<{ activationCode: string }>(
      'POST',
      `/admin/users/${id}/reset-password`,
    )
    expect(reset.status).toBe(200)
    expect((await deployment.login(1, 'fresh', reset.body.activationCode)).status).toBe(200)
  })
})

describe.each(SETUPS)('the per-address limit, $name', (setup) => {
  const deployment = new Deployment(setup)
  const LIMIT = 12

  beforeAll(async () => {
    await deployment.start({ authLimits: { addressMaxFailures: LIMIT } })
    await deployment.createUser('crowd')
  })

  afterAll(async () => {
    await deployment.stop()
  })

  test('successful logins do not count: many people behind one address still sign in', async () => {
    for (let i = 0; i < LIMIT + 4; i++) {
      expect((await deployment.login(i, 'crowd', USER_PASSWORD)).status).toBe(200)
    }
  })

  test('failures over many usernames and both nodes get 429 with Retry-After, whatever X-Forwarded-For says', async () => {
    for (let i = 0; i < LIMIT; i++) {
      const answer = await deployment.login(i, `sprayed${i}`, 'Spring#2026', {
        'x-forwarded-for': `10.0.0.${i}`,
      })
      expect(answer.status).toBe(401)
    }
    const limited = await deployment.login(LIMIT, 'crowd', USER_PASSWORD, {
      'x-forwarded-for': '10.9.9.9',
    })
    expect(limited).toMatchObject({ status: 429, code: 'rate_limited' })
    expect(Number(limited.retryAfter)).toBeGreaterThan(0)
    expect(limited.message).toMatch(/尝试过于频繁，请 \d+ 秒后再试/)
    const audited = await deployment.audit('auth.rate_limited')
    expect(audited.some((e) => e.detail.scope === 'address')).toBe(true)
    expect(JSON.stringify(audited)).not.toContain(USER_PASSWORD)
    if (setup.redis) {
      // The per-address count lives in Redis when one is configured (not in a node's memory).
      const redis = new Redis(REDIS_URL)
      const keys = await redis.keys(`${deployment.redisPrefix}:limits:address*`)
      await redis.quit()
      expect(keys.length).toBeGreaterThan(0)
    }
  })
})
