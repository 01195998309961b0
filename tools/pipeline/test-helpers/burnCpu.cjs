// A CPU-bound function: burns `event.cpuMs` of its own CPU time, so its duration is that CPU time divided by the
// CPU share it gets.
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

exports.handler = async (event) => {
  const start = cpuMs();
  let sum = 0;
  while (cpuMs() - start < event.cpuMs) for (let i = 0; i < 100_000; i++) sum += i;
  return { sum };
};
