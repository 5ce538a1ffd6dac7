"""The visitors of `make load` for locust; started by bench/load.py, which hands over the plan (LOAD_PLAN, JSON) and
collects every request's time (LOAD_RESULTS). The steps themselves are in bench/load_flows.py.

Each kind of visitor is a FastHttpUser with the weight of its flow. Coordination and Jugendamt log in once (password,
then the TOTP code) and repeat their round; a partner takes the next unused signing link for every round, signs and
then logs in as that partner's contact with an empty cookie jar (another person at another desk).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import sys
import time
from collections import deque
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_flows import FLOW, THINK_SECONDS, Flow, Response, Step, Visit, check_step, proxy_headers, run_steps

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8")) if os.environ.get("LOAD_PLAN") else {}
SIGNINGS = deque(PLAN.get("signings", []))
NEXT_ACCOUNT = {"coordinators": itertools.count(), "jugendamt": itertools.count()}
NEXT_NETWORK = itertools.count()
SAMPLES: list[dict] = []
STEP_KEYS = {step.label: step.key for flow in FLOW.values() for step in (*flow.login, *flow.steps)}
# The proxy terminates TLS for the browser; behind it, the Secure cookies travel over plain http on loopback.
LOOPBACK_POLICY = DefaultCookiePolicy(secure_protocols=("https", "wss", "http"))


@events.request.add_listener
def record(request_type, name, response_time, response_length, exception=None, start_time=None, **kwargs):
    SAMPLES.append(
        {
            "name": name,
            "key": STEP_KEYS.get(name, ""),
            "ms": response_time,
            "start": start_time if start_time is not None else time.time() - response_time / 1000,
            "error": str(exception) if exception else "",
        }
    )


@events.quitting.add_listener
def write_results(environment, **kwargs):
    path = os.environ.get("LOAD_RESULTS")
    if path:
        runner = environment.runner
        with open(path, "w", encoding="utf-8") as out:
            json.dump({"samples": SAMPLES, "cpu_warning": bool(getattr(runner, "cpu_warning_emitted", False))}, out)


class Visitor(FastHttpUser):
    abstract = True
    flow: Flow
    wait_time = between(*THINK_SECONDS)
    network_timeout = 60.0
    connection_timeout = 10.0

    def on_start(self):
        self.client.cookiejar.set_policy(LOOPBACK_POLICY)
        self.headers = proxy_headers(self.host)
        self.visit = Visit(plan=PLAN, rng=random.Random())
        if self.flow.role:
            accounts = PLAN[self.flow.role]
            self.visit.account = accounts[next(NEXT_ACCOUNT[self.flow.role]) % len(accounts)]
            self.visit.network = self.visit.account["network"]
            self.steps(self.flow.login)
        else:
            self.visit.network = PLAN["networks"][next(NEXT_NETWORK) % len(PLAN["networks"])]

    def think(self):
        time.sleep(random.uniform(*THINK_SECONDS))  # gevent patches time.sleep: this visitor waits, the others go on

    def send(self, step: Step, visit: Visit) -> str | None:
        data = step.form(visit) if step.form else None
        with self.client.request(
            step.method,
            step.path(visit),
            data=data,
            headers=self.headers,
            name=step.label,
            catch_response=True,
            allow_redirects=False,
        ) as response:
            location = (response.headers or {}).get("Location", "") if response.status_code else ""
            answer = Response(response.status_code or 0, response.text or "" if response.status_code else "", location)
            error = check_step(step, visit, answer)
            if error:
                response.failure(error)
            else:
                response.success()
        return error

    def steps(self, steps: tuple[Step, ...]) -> None:
        run_steps(steps, self.visit, self.send, self.think)

    def round(self):
        self.steps(self.flow.steps)

    @task
    def one_round(self):
        self.round()


class PartnerSigning(Visitor):
    flow = FLOW["sign"]
    weight = flow.weight

    def round(self):
        if not SIGNINGS:
            events.request.fire(
                request_type="PLAN",
                name=self.flow.steps[0].label,
                response_time=0,
                response_length=0,
                exception=RuntimeError("keine Einladungslinks mehr übrig"),
            )
            raise StopUser
        self.client.cookiejar.clear()
        signing = SIGNINGS.popleft()
        self.visit = Visit(plan=PLAN, network=signing["network"], signing=signing, rng=self.visit.rng)
        self.steps(self.flow.steps)


class Coordinator(Visitor):
    flow = FLOW["coordinator"]
    weight = flow.weight


class Jugendamt(Visitor):
    flow = FLOW["jugendamt"]
    weight = flow.weight


class Parent(Visitor):
    flow = FLOW["parent"]
    weight = flow.weight
