#!/usr/bin/env python3
"""CPU share by layer from a dotnet-trace speedscope file (dotnet-sampled-thread-time).
Only CPU_TIME samples count, and not the socket engine's epoll thread; each goes to the layer
of the innermost frame that belongs to one (a socket send below Npgsql is Npgsql's). An
estimate: ~100 samples a second per thread, one 8 s trace."""
import json, sys, collections
LAYERS = [
 ("Serilog", "Serilog (request log)"),
 ("BackendService.Api.Hosting.BatchedStandardOutputSink", "Serilog (request log)"),
 ("Microsoft.AspNetCore.Mvc", "MVC"),
 ("Microsoft.EntityFrameworkCore", "EF Core"),
 ("Npgsql", "Npgsql"),
 ("System.Text.Json", "System.Text.Json"),
 ("Microsoft.AspNetCore.Server.Kestrel", "Kestrel"),
 ("Microsoft.AspNetCore.Routing", "Routing"),
 ("Microsoft.AspNetCore.Authorization", "Authorization"),
 ("Microsoft.AspNetCore.Authentication", "Authentication"),
 ("Microsoft.AspNetCore.RateLimiting", "Rate limiting/timeouts"),
 ("Microsoft.AspNetCore.Http.Timeouts", "Rate limiting/timeouts"),
 ("Microsoft.AspNetCore.Cors", "CORS"),
 ("Microsoft.AspNetCore.HttpOverrides", "Forwarded headers"),
 ("OpenTelemetry", "Metrics"),
 ("System.Diagnostics.Metrics", "Metrics"),
 ("Microsoft.AspNetCore.Hosting", "Hosting"),
 ("Microsoft.AspNetCore.Diagnostics", "Error handling"),
 ("Microsoft.Extensions.DependencyInjection", "DI"),
 ("Microsoft.Extensions.Logging", "Logging abstractions"),
 ("Microsoft.AspNetCore.Http", "HTTP abstractions"),
 ("BackendService.Infrastructure", "Our code: repository"),
 ("BackendService.Application", "Our code: service"),
 ("BackendService.Domain", "Our code: domain"),
 ("BackendService.Api", "Our code: Api"),
 ("Program", "Our code: Api"),
 ("Microsoft.AspNetCore", "ASP.NET Core other"),
]
def layer(name):
    n = name.split("!", 1)[-1]
    for prefix, label in LAYERS:
        if n.startswith(prefix) or ("!" + prefix) in name:
            return label
    return None
data = json.load(open(sys.argv[1]))
frames = [f["name"] for f in data["shared"]["frames"]]
flayer = [layer(f) for f in frames]
totals = collections.Counter(); grand = 0.0
for prof in data["profiles"]:
    if prof.get("type") != "evented": continue
    stack = []; last = None
    for ev in prof["events"]:
        t = ev["at"]
        if last is not None and stack:
            dt = t - last
            leaf = frames[stack[-1]]
            if leaf == "CPU_TIME" and not any("SocketAsyncEngine.EventLoop" in frames[f] for f in stack):
                lab = None
                for fi in reversed(stack):
                    if flayer[fi]: lab = flayer[fi]; break
                totals[lab or ("runtime/GC/other: " + leaf.split("(")[0][-60:])] += dt
                grand += dt
        last = t
        if ev["type"] == "O": stack.append(ev["frame"])
        elif ev["type"] == "C":
            if stack: stack.pop()
agg = collections.Counter()
for k, v in totals.items():
    agg["runtime/GC/other" if k.startswith("runtime/GC/other") else k] += v
for k, v in agg.most_common():
    print(f"{k:32s} {100*v/grand:5.1f} %")
print("top 'other' leaves:")
for k, v in sorted(((k, v) for k, v in totals.items() if k.startswith("runtime")), key=lambda kv: -kv[1])[:12]:
    print(f"   {100*v/grand:5.1f} %  {k[18:]}")
