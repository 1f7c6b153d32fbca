/** The import page's URL search: the job it follows, if any (a reload keeps following it). */
export type ImportSearch = {
  job?: string;
};
