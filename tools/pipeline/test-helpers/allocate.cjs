// Holds `event.mb` MB of buffers outside the V8 heap, every page touched, as a function reading large objects does.
exports.handler = async (event) => {
  const held = [];
  for (let i = 0; i < event.mb; i++) held.push(Buffer.alloc(1024 * 1024, 1));
  return { held: held.length };
};
