/**
 * VS Code's MCP gallery requests, replayed exactly (see REGISTRY-FACTS "Real clients"): the probe
 * `?limit=1`, the list `?limit=50&version=latest[&cursor=..][&search=..]` following `nextCursor` until it
 * is empty, and `/v0.1/servers/{encodeURIComponent(name)}/versions/latest`. Every check VS Code makes is
 * made here, and it fails the same way: a missing `_meta` or an empty name, description or version on
 * an entry fails the page; a lookup must return exactly the name asked for; 404 means "not in this
 * registry", any other status "lookup failed". Unlike VS Code, paging is bounded, so a host that
 * repeats page 1 forever makes the test fail instead of hang.
 */
export interface Exchange {
  url: string;
  status: number;
  cors: string | null;
}

export class VsCodeClient {
  readonly base: string;
  readonly exchanges: Exchange[] = [];

  constructor(base: string) {
    this.base = base.replace(/\/$/, '');
  }

  private async get(url: string): Promise<{ status: number; body: unknown }> {
    const response = await fetch(url, { redirect: 'follow' });
    this.exchanges.push({ url, status: response.status, cors: response.headers.get('access-control-allow-origin') });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: response.status, body };
  }

  /** The registry probe: the service URL is accepted when this answers 200 with a server list. */
  async probe(): Promise<void> {
    const { status, body } = await this.get(`${this.base}/v0.1/servers?limit=1`);
    if (status !== 200) throw new Error(`probe answered ${status}`);
    checkPage(body);
  }

  /** The gallery list, page by page, as the user scrolls to the end. */
  async list(
    options: { search?: string; pageSize?: number; maxPages?: number } = {},
  ): Promise<{ names: string[]; pages: number }> {
    const { search, pageSize = 50, maxPages = 50 } = options;
    const names: string[] = [];
    let cursor: string | undefined;
    for (let pages = 1; pages <= maxPages; pages += 1) {
      let url = `${this.base}/v0.1/servers?limit=${pageSize}&version=latest`;
      if (cursor !== undefined) url += `&cursor=${encodeURIComponent(cursor)}`;
      if (search !== undefined) url += `&search=${encodeURIComponent(search)}`;
      const { status, body } = await this.get(url);
      if (status !== 200) throw new Error(`list page ${pages} answered ${status}`);
      const page = checkPage(body);
      names.push(...page.servers.map((entry) => entry.server.name));
      cursor = page.metadata.nextCursor || undefined;
      if (cursor === undefined) return { names, pages };
    }
    throw new Error(`the list did not end after ${maxPages} pages: nextCursor never came back empty`);
  }

  /** The per-server lookup behind install and update checks. */
  async lookup(name: string): Promise<'found' | 'not-found'> {
    const { status, body } = await this.get(`${this.base}/v0.1/servers/${encodeURIComponent(name)}/versions/latest`);
    if (status === 404) return 'not-found';
    if (status !== 200) throw new Error(`lookup of ${name} failed with ${status}`);
    const entry = checkEntry(body);
    if (entry.server.name !== name) throw new Error(`lookup of ${name} returned ${entry.server.name}`);
    return 'found';
  }

  /** Any other v0.1 document, fetched with the path encoded as given. */
  async fetchJson(pathAndQuery: string): Promise<{ status: number; body: unknown }> {
    return this.get(`${this.base}${pathAndQuery}`);
  }
}

interface Entry {
  server: { name: string; description: string; version: string };
  _meta: object;
}

function checkPage(body: unknown): { servers: Entry[]; metadata: { nextCursor?: string } } {
  const page = body as { servers?: unknown; metadata?: unknown };
  if (!Array.isArray(page?.servers)) throw new Error('the list has no servers array');
  if (page.metadata === null || typeof page.metadata !== 'object') throw new Error('the list has no metadata');
  page.servers.forEach(checkEntry);
  return page as { servers: Entry[]; metadata: { nextCursor?: string } };
}

function checkEntry(value: unknown): Entry {
  const entry = value as Partial<Entry> | null;
  if (entry?._meta === null || typeof entry?._meta !== 'object') throw new Error('an entry has no _meta object');
  for (const field of ['name', 'description', 'version'] as const) {
    const text = entry.server?.[field];
    if (typeof text !== 'string' || text === '') throw new Error(`an entry has an empty server.${field}`);
  }
  return entry as Entry;
}
