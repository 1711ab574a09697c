// Allure 3 report configuration, used by `make report`.
// The run's facts (commit, branch, target, seed, workers, versions) come from reports/run.json, written by the
// runner of `make spec`; CI's name and build link from the CI's own variables.
import { readFileSync } from "node:fs";

const run = (() => {
  try {
    return JSON.parse(readFileSync("./reports/run.json", "utf8"));
  } catch {
    return {};
  }
})();
const ci = process.env.GITHUB_RUN_ID
  ? `GitHub Actions ${process.env.GITHUB_SERVER_URL}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}`
  : process.env.CI_JOB_URL
    ? `GitLab CI ${process.env.CI_JOB_URL}`
    : "a person's machine";

export default {
  name: "Business platform specification",
  output: "./reports/allure-report",
  // One line per run: the report's trend charts and each test's history come from here (kept by CI between runs).
  historyPath: "./reports/allure-history.jsonl",
  // Each test carries its history into the single file: three runs back keep the trends and the size in check.
  historyLimit: 3,
  variables: {
    Commit: run.commit ?? "unknown",
    Branch: run.branch ?? "unknown",
    Target: run.target ?? "unknown",
    Seed: run.seed ?? "file order",
    Workers: String(run.jobs ?? "unknown"),
    Machines: String(run.shards ?? 1),
    Python: run.python ?? "unknown",
    behave: run.behave ?? "unknown",
    "Platform version": run.platform_version ?? "unknown",
    "Platform profile": run.platform_profile ?? "unknown",
    "Ran on": ci,
  },
  // The first category a result matches is its own.
  categories: [
    { name: "Time limit", matchers: { statuses: ["failed", "broken"], message: "time limit" } },
    {
      name: "Stack or dependency not available",
      matchers: { statuses: ["broken"], message: "(Connection ?refused|ConnectionError|could not connect|not ready|did not start)" },
    },
    { name: "Product defects", matchers: { statuses: ["failed"] } },
    { name: "Harness errors", matchers: { statuses: ["broken"] } },
    { name: "Flaky", matchers: { flaky: true } },
  ],
  // The quality gate (a failed @critical scenario fails `make report`) is support/report/quality_gate.py:
  // Allure 3.18's own needs Node.js 22.
  plugins: {
    awesome: {
      options: {
        singleFile: true,
        reportLanguage: "en",
        groupBy: ["epic", "feature"],
      },
    },
  },
};
