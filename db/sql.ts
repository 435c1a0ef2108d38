// The two functions that put text into SQL. Values never go through here (they are bound as
// parameters); these exist for identifiers (table and column names from approved contracts)
// and for the rare literal DuckDB does not accept as a parameter (a path in COPY, ATTACH, SET).

/** "name" with embedded double quotes doubled; refuses NUL, which DuckDB cannot store in a name. */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new Error('sql.empty_identifier: an identifier cannot be empty');
  if (name.includes('\u0000')) throw new Error('sql.bad_identifier: an identifier cannot contain NUL');
  return `"${name.replaceAll('"', '""')}"`;
}

/** 'text' with embedded single quotes doubled; refuses NUL. Backslashes are literal in DuckDB strings. */
export function quoteString(value: string): string {
  if (value.includes('\u0000')) throw new Error('sql.bad_string: a string literal cannot contain NUL');
  return `'${value.replaceAll("'", "''")}'`;
}
