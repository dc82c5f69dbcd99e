#!/usr/bin/env python3
"""Runs one parent order against the execution-scheduling service, standard library only.

Opens a sell order, asks for each step's slice, "executes" it against a toy market (fills at the bid, in two
partial fills), reports the fills, and prints the transaction-cost analysis. Rerunning it with the same
--client-order-id picks the same order up again (the service answers the order it already opened).

    python3 examples/order_client.py [--base-url http://localhost:3000] [--policy twap|dqn] [--client-order-id ID]

With API_TOKEN set in the environment it is sent as the bearer token (the service then requires it on /v1).
"""
import argparse
import json
import os
import urllib.error
import urllib.request


class ServiceError(Exception):
    def __init__(self, status, body):
        super().__init__(f"{status}: {body.get('message', body)}")
        self.status = status
        self.body = body


def call(base, method, path, body=None):
    """One JSON request; raises ServiceError with the service's error body on 4xx/5xx."""
    headers = {"accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["content-type"] = "application/json"
    token = os.environ.get("API_TOKEN")
    if token:
        headers["authorization"] = f"Bearer {token}"
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        raise ServiceError(err.code, json.loads(err.read() or b"{}")) from None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default=os.environ.get("BASE_URL", "http://localhost:3000"))
    parser.add_argument("--policy", choices=["twap", "dqn"], default="twap")
    parser.add_argument("--client-order-id", default=None)
    args = parser.parse_args()
    base = args.base_url.rstrip("/")

    policy = {"type": "twap"} if args.policy == "twap" else {"type": "dqn", "model": "default", "fallback": {"type": "twap"}}
    ticket = {"side": "sell", "quantity": 20000, "horizon": 10, "stepSeconds": 60, "policy": policy,
              "maxParticipation": 0.2, "lotSize": 100}
    if args.client_order_id:
        ticket["clientOrderId"] = args.client_order_id
    status, order = call(base, "POST", "/v1/orders", ticket)
    print(f"order {order['id']} ({'opened' if status == 201 else 'already open'}): {order['status']}, "
          f"{order['remaining']} to sell over {order['ticket']['horizon']} steps")

    bid = 99.95
    steps = range(order["step"], order["ticket"]["horizon"]) if order["status"] == "working" else []
    for step in steps:
        market = {"bid": round(bid, 2), "ask": round(bid + 0.02, 2), "volume": 30000, "averageVolume": 30000,
                  "volatility": 0.05, "bidSize": 1000, "askSize": 900}
        try:
            _, decision = call(base, "POST", f"/v1/orders/{order['id']}/decisions",
                               {"step": step, "market": market, "marketVwap": round(bid + 0.005, 3)})
        except ServiceError as err:
            if err.status == 409:  # no longer working (filled, cancelled or expired)
                print(f"step {step}: {err}")
                break
            raise
        n = decision["quantity"]
        flags = [f for f in ("capped", "forced", "limited", "iWould", "capInfeasible") if decision.get(f)]
        print(f"step {step}: sell {n} ({decision['policy']['type']}) {' '.join(flags)}")
        # The toy market fills the slice at the bid in two parts; a repeated report changes nothing.
        first = n // 2
        for part, quantity in (("a", first), ("b", n - first)):
            if quantity > 0:
                fill = {"fillId": f"{order['id'][:8]}-{step}{part}", "quantity": quantity, "price": market["bid"], "fee": 0.0001 * quantity}
                _, order = call(base, "POST", f"/v1/orders/{order['id']}/fills", fill)
                call(base, "POST", f"/v1/orders/{order['id']}/fills", fill)
        bid -= 0.01

    _, tca = call(base, "GET", f"/v1/orders/{order['id']}/tca")
    d = tca.get("decomposition", {})
    print(f"status {tca['status']}: executed {tca['executedQuantity']} at {tca.get('averagePrice', float('nan')):.4f}, "
          f"arrival {tca.get('arrivalPrice')}")
    print(f"implementation shortfall {tca.get('shortfall', 0):.2f} ({tca.get('shortfallBps', 0):.2f} bps): "
          f"delay {d.get('delay', 0):.2f}, trading {d.get('trading', 0):.2f}, opportunity {d.get('opportunity', 0):.2f}, "
          f"fees {d.get('fees', 0):.2f}")
    if "vwap" in tca:
        print(f"vs interval VWAP {tca['vwap']['marketVwap']:.4f}: {tca['vwap']['slippageBps']:.2f} bps (positive = better)")
    if "twapEstimate" in tca:
        print(f"TWAP estimate {tca['twapEstimate']['twapCostBps']:.2f} bps, this schedule {tca['twapEstimate']['scheduleCostBps']:.2f} bps")
    print(f"TCA page: {base}/v1/orders/{order['id']}/tca?format=html")


if __name__ == "__main__":
    main()
