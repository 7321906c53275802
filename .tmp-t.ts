import { ServerJsonSchema } from '/work/main/src/lib/schema/server.ts';
import { VersionFactsSchema } from '/work/main/src/lib/registry/facts.ts';
import fs from 'node:fs';
const d = JSON.parse(fs.readFileSync('/work/shared/data/official-registry-2025-12-18.json','utf8'));
let bad: Record<string, number> = {};
for (const r of d) { const res = ServerJsonSchema.safeParse(r.server); if (!res.success) { for (const i of res.error.issues) { const k = r.server.$schema.slice(42,52)+' '+i.path.join('.')+' '+i.message; bad[k]=(bad[k]??0)+1; } } 
 const f = VersionFactsSchema.safeParse({status:'active', publishedAt: r._meta['io.modelcontextprotocol.registry/official'].publishedAt, updatedAt: r._meta['io.modelcontextprotocol.registry/official'].updatedAt}); if(!f.success) bad['facts '+f.error.issues[0].message]=1; }
console.log(bad);
