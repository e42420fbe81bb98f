import { describe, expect, it } from 'vitest';
import { IpProto, TcpFlag } from '../decode/batch.js';
import { unpackCountry } from './country-code.js';
import { enrichBatch, enrichInto } from './enrich.js';
import { FLAG_CLASS_NAMES } from './flag-class.js';
import { AsnDb, CountryDb, type GeoResolver } from './geoip.js';
import { MmdbDatabase } from './mmdb-database.js';
import { MmdbWriter } from './mmdb-writer.js';
import { PACKET_CLASS_NAMES } from './packet-class.js';
import { formatServiceKey } from './service-key.js';
import { makeBatch } from './testdata/make-batch.js';
import { parseIpv4, parseIpv6 } from '../util/ip-address.js';

function geo(): GeoResolver {
  const w = new MmdbWriter({ databaseType: 'GeoLite2-Country' });
  w.insert('1.0.16.0/20', { country: { iso_code: 'JP' } });
  w.insert('61.0.0.0/8', { country: { iso_code: 'CN' } });
  w.insert('2001:db8::/32', { country: { iso_code: 'TW' } });
  const a = new MmdbWriter({ databaseType: 'GeoLite2-ASN' });
  a.insert('1.0.16.0/24', {
    autonomous_system_number: 2519,
    autonomous_system_organization: 'ARTERIA Networks Corporation',
  });
  return {
    country: new CountryDb(MmdbDatabase.fromBuffer(w.toBuffer(), 'c.mmdb')),
    asn: new AsnDb(MmdbDatabase.fromBuffer(a.toBuffer(), 'a.mmdb')),
  };
}

describe('enrichBatch()', () => {
  it('enrichBatch() fills every column per packet', () => {
    const batch = makeBatch([
      { src4: parseIpv4('61.1.2.3'), proto: IpProto.TCP, sport: 6000, dport: 9415, tcpFlags: TcpFlag.SYN },
      { src4: parseIpv4('1.0.16.53'), proto: IpProto.UDP, sport: 53, dport: 40000 },
      { src4: parseIpv4('1.0.17.1'), proto: IpProto.ICMP, icmpType: 11 },
      { ipVersion: 6, src6: parseIpv6('2001:db8::9'), proto: IpProto.ICMPV6, icmpType: 129 },
      { src4: parseIpv4('192.0.2.1'), proto: IpProto.TCP, sport: 80, dport: 1234, tcpFlags: TcpFlag.SYN | TcpFlag.ACK },
      { ipVersion: 0 },
    ]);
    const e = enrichBatch(batch, { geo: geo() });
    expect(e.batch).toBe(batch);
    const n = batch.length;
    expect([...e.service.subarray(0, n)].map(formatServiceKey)).toEqual([
      '9415/TCP',
      '40000/UDP',
      '11/ICMP',
      '129/ICMPv6',
      '1234/TCP',
      '',
    ]);
    expect([...e.srcService.subarray(0, n)].map(formatServiceKey)).toEqual([
      '6000/TCP',
      '53/UDP',
      '11/ICMP',
      '129/ICMPv6',
      '80/TCP',
      '',
    ]);
    expect([...e.flagClass.subarray(0, n)].map((c) => FLAG_CLASS_NAMES[c])).toEqual([
      'SYN',
      'NONE',
      'NONE',
      'NONE',
      'SYN/ACK',
      'NONE',
    ]);
    expect([...e.packetClass.subarray(0, n)].map((c) => PACKET_CLASS_NAMES[c])).toEqual([
      'PROBE',
      'PROBE',
      'ICMP_ERROR',
      'RESPONSE',
      'RESPONSE',
      'NONE',
    ]);
    expect([...e.country.subarray(0, n)].map(unpackCountry)).toEqual(['CN', 'JP', 'JP', 'TW', 'ZZ', '']);
    expect([...e.asn.subarray(0, n)]).toEqual([0, 2519, 0, 0, 0, 0]);
  });

  it('enrichBatch() without databases leaves country and ASN 0', () => {
    const e = enrichBatch(makeBatch([{ src4: parseIpv4('1.0.16.1'), proto: IpProto.UDP }]), { geo: null });
    expect(e.country[0]).toBe(0);
    expect(e.asn[0]).toBe(0);
    expect(formatServiceKey(e.service[0]!)).toBe('0/UDP');
  });

  it('enrichInto() refills the same columns after the batch changes', () => {
    const batch = makeBatch([{ src4: parseIpv4('1.0.16.1'), proto: IpProto.UDP, dport: 1434 }]);
    const ctx = { geo: geo() };
    const e = enrichBatch(batch, ctx);
    const column = e.service;
    batch.dport[0] = 445;
    batch.proto[0] = IpProto.TCP;
    batch.tcpFlags[0] = TcpFlag.SYN;
    batch.src4[0] = parseIpv4('61.0.0.1');
    enrichInto(e, ctx);
    expect(e.service).toBe(column);
    expect(formatServiceKey(e.service[0]!)).toBe('445/TCP');
    expect(FLAG_CLASS_NAMES[e.flagClass[0]!]).toBe('SYN');
    expect(unpackCountry(e.country[0]!)).toBe('CN');
  });
});
