/**
 * A tiny authoritative DNS server on loopback UDP for TXT and A look-ups, so namespace checks and the
 * probe's address checks run against node:dns's real resolver. Names in `records` answer NOERROR with
 * their TXT strings, names in `addresses` with their IPv4 addresses; others NXDOMAIN.
 */
import dgram from 'node:dgram';

export interface DnsServer {
  address: string;
  queries: string[];
  close(): Promise<void>;
}

export async function startDnsServer(
  records: Record<string, string[]>,
  addresses: Record<string, string[]> = {},
): Promise<DnsServer> {
  const socket = dgram.createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (query, remote) => {
    let offset = 12;
    const labels: string[] = [];
    while (query[offset]! > 0) {
      labels.push(query.subarray(offset + 1, offset + 1 + query[offset]!).toString('ascii'));
      offset += query[offset]! + 1;
    }
    const questionEnd = offset + 5;
    const name = labels.join('.').toLowerCase();
    const qtype = query.readUInt16BE(offset + 1);
    queries.push(name);
    const texts = qtype === 16 ? (records[name] ?? []) : [];
    const ips = qtype === 1 ? (addresses[name] ?? []) : [];
    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.readUInt16BE(0), 0);
    const known = name in records || name in addresses;
    header.writeUInt16BE(known ? 0x8580 : 0x8583, 2); // response, authoritative, NOERROR / NXDOMAIN
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(texts.length + ips.length, 6);
    const answers = texts.map((text) => {
      const chunks: Buffer[] = [];
      for (let i = 0; i < text.length || i === 0; i += 255) {
        const part = Buffer.from(text.slice(i, i + 255), 'ascii');
        chunks.push(Buffer.from([part.length]), part);
      }
      const rdata = Buffer.concat(chunks);
      const fixed = Buffer.alloc(12);
      fixed.writeUInt16BE(0xc00c, 0); // pointer to the question name
      fixed.writeUInt16BE(16, 2); // TXT
      fixed.writeUInt16BE(1, 4); // IN
      fixed.writeUInt32BE(60, 6);
      fixed.writeUInt16BE(rdata.length, 10);
      return Buffer.concat([fixed, rdata]);
    });
    const aRecords = ips.map((ip) => {
      const fixed = Buffer.alloc(12);
      fixed.writeUInt16BE(0xc00c, 0);
      fixed.writeUInt16BE(1, 2); // A
      fixed.writeUInt16BE(1, 4); // IN
      fixed.writeUInt32BE(60, 6);
      fixed.writeUInt16BE(4, 10);
      return Buffer.concat([fixed, Buffer.from(ip.split('.').map(Number))]);
    });
    socket.send(
      Buffer.concat([header, query.subarray(12, questionEnd), ...answers, ...aRecords]),
      remote.port,
      remote.address,
    );
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
