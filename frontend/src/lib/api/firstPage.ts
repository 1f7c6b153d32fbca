/** The page param of a list's first page: no cursor, the query's own parameters. */
export const FIRST_PAGE = { query: {} };
