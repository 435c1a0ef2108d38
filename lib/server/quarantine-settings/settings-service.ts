// What app/ (pages and route handlers) calls for the quarantine settings, on the process's
// database. app/ never imports db/ itself.
import { getDb } from '../../../db/open';
import type { SessionUser } from '../auth/users';
import { globalSettingHistory, readGlobalSetting, setGlobalSetting, type GlobalSetting } from './global-setting';
import { quarantineSettingsOfJob, type ResolvedJobOutput } from './job-quarantine-settings';

export async function globalSettingNow(): Promise<GlobalSetting> {
  return readGlobalSetting(await getDb());
}

export async function globalSettingHistoryNow(limit = 10): Promise<GlobalSetting[]> {
  return globalSettingHistory(await getDb(), limit);
}

export async function changeGlobalSetting(user: SessionUser, json: unknown): Promise<GlobalSetting> {
  return setGlobalSetting(await getDb(), user, json);
}

export async function quarantineSettingsForJobPage(jobId: string): Promise<ResolvedJobOutput[] | null> {
  return quarantineSettingsOfJob(await getDb(), jobId);
}
