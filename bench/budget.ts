/** A budget line: a measured ratio against its limit, PASS or FAIL. */
export interface BudgetLine {
  section: string;
  name: string;
  ratio: number;
  limit: number;
  pass: boolean;
  detail: string;
}

export const budget = (section: string, name: string, ratio: number, limit: number, detail: string): BudgetLine => ({
  section,
  name,
  ratio,
  limit,
  pass: Number.isFinite(ratio) && ratio <= limit,
  detail,
});
