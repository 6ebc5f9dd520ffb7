// The README written next to an export: how to run it with k6 on one machine, on several with
// the k6 operator, and how to bring the results back to LikeStorm. Pure: text from the manifest.
import { K6_MIN_VERSION, K6_TESTED_VERSIONS, type ExportManifest } from './manifest.ts'

const CONFIGMAP_LIMIT_BYTES = 1_048_576

export interface ReadmeInput {
  readonly manifest: ExportManifest
  /** The export folder as the user named it (for commands run from the repository). */
  readonly dir: string
  readonly workloadBytes: number
  readonly finalStartS: number
  readonly warnings: readonly string[]
}

export function exportReadme({ manifest, dir, workloadBytes, finalStartS, warnings }: ReadmeInput): string {
  const m = manifest
  const scaleFlag = m.scale === 1 ? '' : ` --scale ${m.scale}`
  const world = `--scenario ${m.scenario} --seed ${m.seed}${scaleFlag}`
  const name = `likestorm-${m.scenario}`.slice(0, 52)
  const resetBody = JSON.stringify({ seed: m.seed, scenario: m.scenario, scale: m.scale })
  const firstUrl = m.urls[m.regions[0] as string] as string
  const big = workloadBytes > CONFIGMAP_LIMIT_BYTES
  const ports = consecutivePorts(m.regions.map((region) => m.urls[region] as string))
  const minor = K6_MIN_VERSION.replace(/\.0$/, '')
  const lines = [
    `# LikeStorm k6 export: ${m.scenario} (seed ${m.seed}, scale ${m.scale})`,
    '',
    `Exported by \`likestorm export-k6 ${m.scenario} --seed ${m.seed}${scaleFlag} --target ${m.target} --out ${dir}\` (LikeStorm ${m.likestormVersion}, export ${m.exportId}).`,
    'The same command writes the same files, byte for byte.',
    '',
    '| file | what |',
    '| --- | --- |',
    `| \`script.js\` | the k6 script (ES2017 modules: k6 v${minor} or later): the scenario's k6 options, one world session per iteration, faults through the admin API, the final reads |`,
    `| \`workload.json\` | the seeded operation stream: ${m.sessions.toLocaleString('en-US')} sessions, ${m.operations.toLocaleString('en-US')} operations (${(workloadBytes / 1e6).toFixed(1)} MB), loaded once per k6 instance with \`SharedArray\` |`,
    '| `likestorm.json` | scenario, seed, scale, target and LikeStorm version: what `ingest-k6` judges the run against |',
    '| `k6-operator-testrun.yaml` | a k6-operator `TestRun` for this export |',
    '',
    'Regions and where the script sends them (override at run time with `LIKESTORM_TARGET`, one URL',
    'for consecutive ports or `region=url,…`):',
    '',
    ...m.regions.map((region) => `- \`${region}\` → ${m.urls[region] as string}`),
    '',
    `k6 versions: v${minor} and later run the script (it puts request ids in k6 metadata, which k6 has had since v0.45);`,
    `tested with a real k6 ${K6_TESTED_VERSIONS.map((v) => `v${v}`).join(', ')}.`,
    '',
    ...(warnings.length === 0 ? [] : ['Notes from the export:', '', ...warnings.map((w) => `- ${w}`), '']),
    '## Run it on this machine',
    '',
    ports === undefined
      ? 'Start the system under test serving this world at the URLs above, with an admin token the script will use to switch faults (the mock server serves one port per region, from `--port`):'
      : `Start the system under test serving this world (the mock server, one port per region from ${ports.first}, as the URLs above say),`,
    ...(ports === undefined ? [] : ['with an admin token the script will use to switch faults:']),
    '',
    '```sh',
    'export ADMIN_TOKEN=$(openssl rand -hex 16)',
    `npx likestorm serve ${world}${ports === undefined || ports.first === 8080 ? '' : ` --port ${ports.first}`} --admin-token "$ADMIN_TOKEN"`,
    '```',
    '',
    'A server already running must serve this world from the start of the run; reset it just before:',
    '',
    '```sh',
    `curl -s -X POST ${firstUrl}/admin/v1/reset -H "authorization: Bearer $ADMIN_TOKEN" -H 'content-type: application/json' -d '${resetBody}'`,
    '```',
    '',
    'Then, in this folder (the script opens `./workload.json`):',
    '',
    '```sh',
    'k6 run --out json=k6-out.json script.js',
    `npx likestorm ingest-k6 k6-out.json --export ${dir}`,
    '```',
    '',
    'k6 passes the environment to the script (`__ENV`): `ADMIN_TOKEN` switches the faults; without it',
    'the run goes on and `ingest-k6` reports the faults as skipped. The run lasts the scenario\'s',
    `duration, then the final reads start at ${finalStartS} s (after the executors' graceful stop and a quiet period).`,
    'k6\'s own threshold verdict includes the admin and final-phase requests; the verdict that counts',
    'is the one `ingest-k6` writes, which judges the run\'s requests only, as every LikeStorm mode does.',
    '',
    'Several k6 processes split the test with execution segments; each operation is still sent once',
    '(iteration numbers are unique across segments):',
    '',
    '```sh',
    'k6 run --execution-segment 0:1/2 --execution-segment-sequence 0,1/2,1 --out json=k6-1.json script.js &',
    'k6 run --execution-segment 1/2:1 --execution-segment-sequence 0,1/2,1 --out json=k6-2.json script.js',
    'wait',
    `npx likestorm ingest-k6 k6-1.json k6-2.json --export ${dir}`,
    '```',
    '',
    '## Run it with the k6 operator',
    '',
    'The operator gives each runner pod an equal execution segment. The script and the workload go in',
    `one ConfigMap${big ? ' — this workload is over the ConfigMap limit of 1 MiB, so put both files on a volume and use `script.volumeClaim` instead' : ' (a ConfigMap holds at most 1 MiB; for a larger workload put both files on a volume and use `script.volumeClaim`)'};`,
    'each runner writes its JSON output to its own folder of a ReadWriteMany volume; the token comes from a',
    'Secret, and `LIKESTORM_TARGET` says where the pods reach the system under test:',
    '',
    '```sh',
    `kubectl create configmap ${name} --from-file=script.js --from-file=workload.json`,
    'kubectl create secret generic likestorm-admin --from-literal=token="$ADMIN_TOKEN"',
    '# a ReadWriteMany PersistentVolumeClaim named likestorm-results, then:',
    'kubectl apply -f k6-operator-testrun.yaml',
    '```',
    '',
    '```yaml',
    testRunYaml({ name, firstUrl }).trimEnd(),
    '```',
    '',
    'This TestRun validates against the TestRun CRD schema of k6-operator v1.6.0 (`k6.io/v1alpha1`).',
    '',
    'When the TestRun has finished, bring every runner\'s output back and judge the run:',
    '',
    '```sh',
    `kubectl run likestorm-results --image=busybox --restart=Never --overrides='{"spec":{"volumes":[{"name":"r","persistentVolumeClaim":{"claimName":"likestorm-results"}}],"containers":[{"name":"c","image":"busybox","command":["sleep","3600"],"volumeMounts":[{"name":"r","mountPath":"/results"}]}]}}'`,
    'kubectl cp likestorm-results:/results ./results',
    `npx likestorm ingest-k6 results/*/k6-out.json --export ${dir}`,
    '```',
    '',
    '`ingest-k6` needs the output of every instance: it checks that the execution segments it read cover',
    'the whole test. Grafana Cloud k6 runs the script too, but gives no JSON lines back; stream to it',
    'alongside (`--out cloud`) from runners you control.',
    '',
    '## How the scenario maps to k6',
    '',
    '- Each iteration of the scenario\'s k6 scenarios runs one world session (read, view, maybe a like and',
    '  what follows it; or one farm or flood request): iteration i (`exec.scenario.iterationInTest`, unique',
    '  across instances) takes session i of its k6 scenario, sleeps until the session\'s time if it is early,',
    '  and sends its operations at their offsets. Sessions that come while the world\'s rate is above the',
    '  executors\' go to `likestorm_extra`, whose rate follows them. Iterations beyond the workload do nothing;',
    '  a session that no iteration ran (k6 dropped it for want of a VU) is counted as dropped by `ingest-k6`.',
    '- Overload faults are emulated on the server (`POST /admin/v1/faults` overload: capacity ÷ factor),',
    '  since k6 sends only its executors\' load: the workload is generated without the overload surge.',
    '- `likestorm_faults` (1 VU) switches every fault at its time, runs purges and takedowns, samples the',
    '  target\'s state each second and probes convergence after the last fault; `likestorm_final` reads',
    '  every video in every region, every possible liker\'s list (page by page) and creators\' notifications.',
    '- Every request carries the tags op, region and attempt, and the ids opId, req, key, user and video as',
    '  k6 metadata (not tags: k6 keeps a time series per tag set, so ids as tags cost GBs); its outcome and',
    '  returned counts go to the custom metrics `likestorm_op`, `likestorm_admin`, `likestorm_purge` and',
    '  `likestorm_final` (ids, times and values in their metadata): the JSON output holds the whole history (a few',
    '  KB per request with k6\'s own metrics; `--system-tags=status,method,scenario,error_code,expected_response,check`',
    '  makes it smaller).',
    '- `http_req_duration` is k6\'s: every response, timeouts and errors included. `likestorm_ok_duration` is the',
    '  successful requests\' service time (what the scenario\'s latency thresholds usually mean).',
    '- The VUs of each arrival-rate scenario are sized from the schedule (`preAllocatedVUs` = `maxVUs`: the',
    '  iterations in flight at the peak, waiting or sending, plus a margin), and an iteration that would wait',
    '  over a second for its session is left empty, so k6 drops no iteration on a machine that keeps up.',
    '',
  ]
  return lines.join('\n')
}

/** The first port when the regions are consecutive ports of one http host (as the mock server serves them). */
function consecutivePorts(urls: readonly string[]): { first: number } | undefined {
  const parsed = urls.map((url) => {
    try {
      return new URL(url)
    } catch {
      return undefined
    }
  })
  const first = parsed[0]
  if (first === undefined || first.protocol !== 'http:' || first.port === '') return undefined
  const port = Number(first.port)
  const same = parsed.every((url, i) => url !== undefined && url.protocol === 'http:' && url.hostname === first.hostname && Number(url.port) === port + i)
  return same ? { first: port } : undefined
}

export function testRunYaml({ name, firstUrl }: { name: string; firstUrl: string }): string {
  return [
    'apiVersion: k6.io/v1alpha1',
    'kind: TestRun',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  parallelism: 4',
    '  script:',
    '    configMap:',
    `      name: ${name}`,
    '      file: script.js',
    '  arguments: --out json=/results/k6-out.json',
    '  runner:',
    '    env:',
    '      - name: ADMIN_TOKEN',
    '        valueFrom:',
    '          secretKeyRef:',
    '            name: likestorm-admin',
    '            key: token',
    '      - name: LIKESTORM_TARGET',
    `        value: ${firstUrl} # where the pods reach the system under test`,
    '      - name: POD_NAME',
    '        valueFrom:',
    '          fieldRef:',
    '            fieldPath: metadata.name',
    '    volumes:',
    '      - name: results',
    '        persistentVolumeClaim:',
    '          claimName: likestorm-results',
    '    volumeMounts:',
    '      - name: results',
    '        mountPath: /results',
    '        subPathExpr: $(POD_NAME)',
    '',
  ].join('\n')
}
