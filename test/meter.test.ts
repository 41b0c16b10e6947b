import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MeterParseError,
  parseMeterJson,
  parseShellyStatus,
  parseTasmotaStatus,
  parseWattsText,
} from '../src/telemetry/meter-parse.js';
import { MeterSampler, meterUrl } from '../src/telemetry/meter.js';

const SHELLY =
  '{"id":0,"source":"init","output":true,"apower":8.9,"voltage":237.5,"current":0.069,"aenergy":{"total":14.093,"by_minute":[0,0,0],"minute_ts":1700000000},"temperature":{"tC":40.1,"tF":104.2}}';
const SHELLY_NO_ENERGY = '{"id":1,"apower":12.5,"voltage":230.1}';
const TASMOTA =
  '{"StatusSNS":{"Time":"2024-01-01T00:00:00","ENERGY":{"TotalStartTime":"2023-01-01T00:00:00","Total":1.234,"Yesterday":0.5,"Today":0.2,"Power":85,"ApparentPower":90,"ReactivePower":30,"Factor":0.94,"Voltage":230,"Current":0.39}}}';
const IPMI = `    Instantaneous power reading:                   285 Watts
    Minimum during sampling period:                 80 Watts
    Maximum during sampling period:                400 Watts
    Average power reading over sample period:      210 Watts
    IPMI timestamp:                           Thu Jan  4 10:00:00 2024
    Sampling period:                          00000001 Seconds.
    Power reading state is:                   activated
`;

describe('meter parsing (pure)', () => {
  it('Shelly: apower W, aenergy.total Wh -> J', () => {
    expect(parseShellyStatus(JSON.parse(SHELLY))).toEqual({ powerW: 8.9, energyJ: 50734.8 });
    expect(parseShellyStatus(JSON.parse(SHELLY_NO_ENERGY))).toEqual({ powerW: 12.5, energyJ: null });
  });

  it('Tasmota: Power W, Total kWh -> J; per-channel power summed', () => {
    expect(parseTasmotaStatus(JSON.parse(TASMOTA))).toEqual({ powerW: 85, energyJ: 4442400 });
    expect(parseTasmotaStatus({ StatusSNS: { ENERGY: { Power: [10, 20.5] } } })).toEqual({
      powerW: 30.5,
      energyJ: null,
    });
  });

  it('commands: ipmitool DCMI output and plain watts', () => {
    expect(parseWattsText(IPMI)).toEqual({ powerW: 285, energyJ: null });
    expect(parseWattsText('85.5 W\n')).toEqual({ powerW: 85.5, energyJ: null });
    expect(parseWattsText('120\n')).toEqual({ powerW: 120, energyJ: null });
    expect(parseWattsText('42.25 watts')).toEqual({ powerW: 42.25, energyJ: null });
  });

  it('garbage is a MeterParseError', () => {
    expect(() => parseMeterJson('<html>oops</html>')).toThrow(MeterParseError);
    expect(() => parseShellyStatus({ voltage: 230 })).toThrow(/no numeric "apower"/);
    expect(() => parseTasmotaStatus({ Status: {} })).toThrow(/no StatusSNS.ENERGY/);
    expect(() => parseWattsText('power: unknown')).toThrow(/printed no watts/);
  });

  it('builds the documented URLs', () => {
    expect(meterUrl({ kind: 'shelly', host: '192.168.1.20' })).toBe(
      'http://192.168.1.20/rpc/Switch.GetStatus?id=0',
    );
    expect(meterUrl({ kind: 'shelly', host: 'http://plug.local/', switchId: 1 })).toBe(
      'http://plug.local/rpc/Switch.GetStatus?id=1',
    );
    expect(meterUrl({ kind: 'tasmota', host: 'tasmota-1' })).toBe('http://tasmota-1/cm?cmnd=Status%208');
  });
});

describe('MeterSampler over HTTP (real local server)', () => {
  let server: Server;
  let host = '';
  let mode: 'ok' | 'garbage' | 'hang' = 'ok';
  let requests = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests += 1;
      if (mode === 'hang') return; // never answers
      if (mode === 'garbage') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"apower": 8.9,');
        return;
      }
      const body =
        req.url === '/rpc/Switch.GetStatus?id=0'
          ? SHELLY
          : req.url === '/rpc/Switch.GetStatus?id=1'
            ? SHELLY_NO_ENERGY
            : req.url === '/cm?cmnd=Status%208'
              ? TASMOTA
              : null;
      if (body === null) res.writeHead(404).end('not found');
      else res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('Shelly with aenergy: a wall counter channel, power and energy', async () => {
    mode = 'ok';
    const sampler = new MeterSampler({ meter: { kind: 'shelly', host }, now: () => 0 });
    const probe = await sampler.probe();
    expect(probe).toMatchObject({
      available: true,
      channels: [
        {
          key: 'meter:shelly',
          source: 'meter',
          kind: 'counter',
          covers: 'wall',
          detail: { energyResolutionJ: 3.6 },
        },
      ],
    });
    expect(await sampler.poll(500)).toMatchObject({
      samples: [{ channelKey: 'meter:shelly', tMs: 500, powerW: 8.9, energyJ: 50734.8 }],
      errors: [],
    });
  });

  it('Shelly without aenergy: sampled, energy not reported', async () => {
    mode = 'ok';
    const sampler = new MeterSampler({ meter: { kind: 'shelly', host, switchId: 1 }, now: () => 0 });
    expect(await sampler.probe()).toMatchObject({ available: true, channels: [{ kind: 'sampled' }] });
    expect((await sampler.poll(7)).samples).toMatchObject([{ tMs: 7, powerW: 12.5, energyJ: null }]);
  });

  it('Tasmota: sampled power', async () => {
    mode = 'ok';
    const sampler = new MeterSampler({ meter: { kind: 'tasmota', host }, now: () => 0 });
    expect(await sampler.probe()).toMatchObject({
      available: true,
      channels: [{ key: 'meter:tasmota', kind: 'sampled', covers: 'wall' }],
    });
    expect((await sampler.poll(1)).samples).toMatchObject([{ powerW: 85, energyJ: null }]);
  });

  it('garbage JSON: a sampler error, and probe unavailable with a hint', async () => {
    mode = 'garbage';
    const sampler = new MeterSampler({ meter: { kind: 'shelly', host } });
    const result = await sampler.poll(3);
    expect(result.samples).toEqual([]);
    expect(result.errors).toEqual([
      {
        tMs: 3,
        channelKey: 'meter:shelly',
        message: 'meter answered with something that is not JSON: "{\\"apower\\": 8.9,"',
      },
    ]);
    const probe = await sampler.probe();
    expect(probe).toMatchObject({
      available: false,
      hint: `open http://${host}/rpc/Switch.GetStatus?id=0 in a browser: it must answer JSON with "apower" (Shelly Gen2+ firmware; switchId selects the output)`,
    });
  });

  it('a hanging meter times out, and polls meanwhile are skipped, not queued', async () => {
    mode = 'hang';
    requests = 0;
    const sampler = new MeterSampler({ meter: { kind: 'tasmota', host }, timeoutMs: 150 });
    const first = sampler.poll(10);
    const second = await sampler.poll(20);
    expect(second, 'skipped while in flight').toEqual({ samples: [], errors: [] });
    const result = await first;
    expect(result.errors).toEqual([
      {
        tMs: 10,
        channelKey: 'meter:tasmota',
        message: `no answer from http://${host}/cm?cmnd=Status%208 within 150 ms`,
      },
    ]);
    expect(requests, 'one request only').toBe(1);
  });

  it('nothing listening: unavailable, with the connection error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadHost = `127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const sampler = new MeterSampler({ meter: { kind: 'tasmota', host: deadHost }, timeoutMs: 500 });
    const probe = await sampler.probe();
    expect(probe.available).toBe(false);
    if (probe.available) return;
    expect(probe.reason).toBe(
      `cannot read the tasmota meter at ${deadHost}: GET http://${deadHost}/cm?cmnd=Status%208 failed: fetch failed (connect ECONNREFUSED ${deadHost})`,
    );
  });
});

describe('MeterSampler with a command', () => {
  it('reads watts a command prints', async () => {
    const sampler = new MeterSampler({
      meter: { kind: 'command', command: "printf '85.5 W\\n'" },
      now: () => 0,
    });
    expect(await sampler.probe()).toMatchObject({
      available: true,
      channels: [{ key: 'meter:command', kind: 'sampled', covers: 'wall', device: "printf '85.5 W\\n'" }],
    });
    expect((await sampler.poll(4)).samples).toMatchObject([{ tMs: 4, powerW: 85.5 }]);
  });

  it('reads ipmitool-shaped output', async () => {
    const sampler = new MeterSampler({
      meter: {
        kind: 'command',
        command: "echo '    Instantaneous power reading:                   285 Watts'",
      },
    });
    expect((await sampler.poll(0)).samples).toMatchObject([{ powerW: 285 }]);
  });

  it('a failing, a garbage and a hanging command are errors', async () => {
    const failing = new MeterSampler({ meter: { kind: 'command', command: 'echo nope >&2; exit 3' } });
    expect((await failing.poll(1)).errors.map((e) => e.message)).toEqual([
      '`echo nope >&2; exit 3` failed (exit 3): nope',
    ]);
    const garbage = new MeterSampler({ meter: { kind: 'command', command: 'echo hello' } });
    expect((await garbage.poll(1)).errors.map((e) => e.message)).toEqual([
      'power command printed no watts: "hello"',
    ]);
    const hanging = new MeterSampler({
      meter: { kind: 'command', command: 'sleep 5; echo 1' },
      timeoutMs: 100,
    });
    const started = Date.now();
    expect((await hanging.poll(1)).errors.map((e) => e.message)).toEqual([
      '`sleep 5; echo 1` killed after 100 ms without finishing',
    ]);
    expect(Date.now() - started, 'does not wait for the sleep').toBeLessThan(2000);
  });
});
