import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setup } from './lib.mjs';
test('probe concurrent approvals', async () => {
  for (let round = 0; round < 4; round++) {
  const ctx = await setup();
  try {
    const mona = await ctx.login('mona'); const tom = await ctx.login('tom');
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push((await mona.post('/api/v1/scopes', { title: `A${round}-${i}`, statement: 's' })).json.id);
      const rs = await Promise.all(ids.map((id) => tom.post(`/api/v1/scopes/${id}/actions/approve`, {})));
      const ap = await mona.get('/api/v1/scopes?status=approved');
      console.log(round, rs.map((r) => r.status), 'approved:', ap.json.total);
  } finally { await ctx.teardown(); }
  }
});
