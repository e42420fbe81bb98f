import { describe, expect, it } from 'vitest';
import { BlockType } from './pcapng-format.js';
import { PcapngWriter } from './pcapng-writer.js';

describe('PcapngWriter', () => {
  it('PcapngWriter writes the exact bytes of a minimal little-endian file', () => {
    const w = new PcapngWriter();
    expect(w.addInterface({ linkType: 1 })).toBe(0);
    w.writePacket({ tsSec: 1_600_000_000, tsNsec: 123_456_789, bytes: Buffer.from('deadbeef', 'hex'), wireLen: 60 });
    expect(w.toBuffer().toString('hex')).toBe(
      '0a0d0d0a' +
        '1c000000' +
        '4d3c2b1a' +
        '0100' +
        '0000' +
        'ffffffffffffffff' +
        '1c000000' +
        '01000000' +
        '14000000' +
        '0100' +
        '0000' +
        '00000000' +
        '14000000' +
        '06000000' +
        '24000000' +
        '00000000' +
        '31af0500' +
        '40e2a507' +
        '04000000' +
        '3c000000' +
        'deadbeef' +
        '24000000',
    );
  });

  it('PcapngWriter encodes interface options in the section byte order', () => {
    const w = new PcapngWriter({ byteOrder: 'be' });
    w.addInterface({
      linkType: 101,
      snaplen: 96,
      name: 'em1',
      tsResolution: { base: 2, exponent: 30 },
      tsOffsetSec: -2,
    });
    const idb = w.toBuffer().subarray(28);
    expect(idb.toString('hex')).toBe(
      '00000001' +
        '00000034' +
        '0065' +
        '0000' +
        '00000060' +
        '0002' +
        '0003' +
        '656d3100' + // if_name "em1" padded
        '0009' +
        '0001' +
        '9e000000' + // if_tsresol 2^-30
        '000e' +
        '0008' +
        'fffffffffffffffe' + // if_tsoffset -2
        '00000000' +
        '00000034', // opt_endofopt, total 52
    );
  });

  it('PcapngWriter pads blocks and packets with zeros', () => {
    const w = new PcapngWriter({ userAppl: 'ab' });
    w.addInterface({ linkType: 1 });
    w.writePacket({ tsSec: 0, tsNsec: 0, bytes: Uint8Array.of(0xff), block: 'obsolete' });
    w.writeBlock(0x0000_0123, Uint8Array.of(0xee, 0xee));
    const bytes = w.toBuffer();
    const shb = bytes.subarray(0, 40);
    expect(shb.subarray(24, 36).toString('hex')).toBe('0400' + '0200' + '61620000' + '00000000');
    const opb = bytes.subarray(60, 96);
    expect(opb.subarray(0, 12).toString('hex')).toBe('02000000' + '24000000' + '0000' + '0000');
    expect(opb.subarray(28, 32).toString('hex')).toBe('ff000000');
    expect(bytes.subarray(96).toString('hex')).toBe('23010000' + '10000000' + 'eeee0000' + '10000000');
  });

  it('PcapngWriter rejects packets the format cannot express', () => {
    const w = new PcapngWriter();
    const bytes = new Uint8Array(10);
    expect(() => w.writePacket({ tsSec: 0, tsNsec: 0, bytes })).toThrow(/interface 0 not added/);
    w.addInterface({ linkType: 1, snaplen: 8 });
    w.addInterface({ linkType: 1 });
    expect(() => w.writePacket({ interfaceId: 1, tsSec: 0, tsNsec: 0, bytes, block: 'simple' })).toThrow(/implies 0/);
    // Simple blocks: the captured length must be min(original length, snaplen).
    expect(() => w.writePacket({ tsSec: 0, tsNsec: 0, bytes: new Uint8Array(4), wireLen: 6, block: 'simple' })).toThrow(
      /imply 6/,
    );
    expect(w.writePacket({ tsSec: 0, tsNsec: 0, bytes, block: 'simple' })).toBe(true);
    expect(() => w.addInterface({ linkType: 1, tsOffsetSec: 0.5 })).toThrow(/whole seconds/);
    expect(() => w.addInterface({ linkType: 1, tsResolution: { base: 10, exponent: 200 } })).toThrow(RangeError);
    w.startSection();
    expect(() => w.writePacket({ interfaceId: 1, tsSec: 0, tsNsec: 0, bytes })).toThrow(/section has 0/);
    expect(() => w.writeBlock(BlockType.NAME_RESOLUTION, new Uint8Array(4))).not.toThrow();
  });
});
