// Allure 3 report configuration, used by `make report`.
export default {
  name: "Business platform specification",
  output: "./reports/allure-report",
  // One line per run: the report's trend charts and each test's history come from here.
  historyPath: "./reports/allure-history.jsonl",
  plugins: {
    awesome: {
      options: {
        singleFile: true,
        reportLanguage: "en",
        groupBy: ["epic", "feature", "story"],
      },
    },
  },
};
