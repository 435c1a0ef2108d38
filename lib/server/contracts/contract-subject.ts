// The audit subject of a contract version, shared with H6's seeding: `contract:<id>@<version>`.
export function contractSubject(contractId: string, version: number): string {
  return `contract:${contractId}@${version}`;
}
