import { splitLines, type Line } from './splitLines';

async function* chunksOf(text: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    yield text.subarray(from, cut);
    from = cut;
  }
}

async function collect(lines: AsyncIterable<Line>) {
  const out: Array<{ number: number; text: string; length: number; start: number; end: number }> = [];
  for await (const l of lines)
    out.push({ number: l.number, text: l.bytes.toString(), length: l.length, start: l.start, end: l.end });
  return out;
}

describe('splitLines', () => {
  const text = Buffer.from('{"a":1}\r\n\n{"b":"é"}\n{"c":3}');

  it('gives the same lines, numbers and offsets wherever the chunks are cut', async () => {
    // Prepare
    const expected = [
      { number: 1, text: '{"a":1}', length: 7, start: 0, end: 9 },
      { number: 2, text: '', length: 0, start: 9, end: 10 },
      { number: 3, text: '{"b":"é"}', length: 10, start: 10, end: 21 },
      { number: 4, text: '{"c":3}', length: 7, start: 21, end: 28 },
    ];

    for (let cut = 0; cut <= text.length; cut++) {
      for (const second of [cut, Math.min(text.length, cut + 3)]) {
        // Act
        const lines = await collect(splitLines(chunksOf(text, [cut, second]), { maxLineBytes: 64 }));

        // Assess
        expect({ cut, second, lines }).toEqual({ cut, second, lines: expected });
      }
    }
  });

  it('continues numbering and offsets from a checkpoint', async () => {
    // Act
    const lines = await collect(
      splitLines(chunksOf(Buffer.from('x\ny\n'), [1]), { maxLineBytes: 8, linesBefore: 41, offset: 1000 }),
    );

    // Assess
    expect(lines.map((l) => [l.number, l.start, l.end])).toEqual([
      [42, 1000, 1002],
      [43, 1002, 1004],
    ]);
  });

  it('keeps only the first maxLineBytes of a line over the limit and reports its full length', async () => {
    // Prepare
    const long = Buffer.concat([Buffer.alloc(100_000, 0x61), Buffer.from('\nok\n')]);

    // Act
    const lines = await collect(splitLines(chunksOf(long, [10, 50_000, 99_999]), { maxLineBytes: 16 }));

    // Assess
    expect(lines).toEqual([
      { number: 1, text: 'a'.repeat(16), length: 100_000, start: 0, end: 100_001 },
      { number: 2, text: 'ok', length: 2, start: 100_001, end: 100_004 },
    ]);
  });
});
