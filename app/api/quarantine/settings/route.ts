// GET /api/quarantine/settings → {"global":{policy,set_by,set_at},"built_in":{…},"keys":[…]}
// PUT /api/quarantine/settings {"allow_quarantine"?,"max_quarantine_pct"?,"max_quarantine_count"?}
//   → the new global setting (quarantine.settings; audited). A key left out falls through to the
//   built-in default; a contract policy value and a per-upload override take precedence over it.
import { DEFAULT_QUARANTINE_POLICY } from '../../../../lib/contracts';
import { readJson, withRoute } from '../../../../lib/server/http/route';
import { POLICY_KEYS } from '../../../../lib/server/quarantine-settings/resolve-quarantine-policy';
import { changeGlobalSetting, globalSettingNow } from '../../../../lib/server/quarantine-settings/settings-service';

export const dynamic = 'force-dynamic';

export const GET = withRoute({ permission: 'quarantine.read' }, async () => {
  return Response.json({ global: await globalSettingNow(), built_in: DEFAULT_QUARANTINE_POLICY, keys: POLICY_KEYS });
});

export const PUT = withRoute({ permission: 'quarantine.settings' }, async (req, _ctx, user) => {
  const body = await readJson(req, { parse: (v: unknown) => v });
  return Response.json({ global: await changeGlobalSetting(user, body) });
});
