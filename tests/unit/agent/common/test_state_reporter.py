"""Agent heartbeats: the first report is a call with start_flag, the next ones casts (calls
when the agent wants to hear of a comeback after failed reports); a failed report is logged
and the next one tried."""

import threading

from netmgr.agent.common import state_reporter


class FakeReportsApi:
    def __init__(self, fail=0):
        self.fail = fail
        self.reports = []
        self.reported = threading.Event()

    def report_state(self, context, state, use_call=False):
        if self.fail:
            self.fail -= 1
            raise TimeoutError('MessagingTimeout')
        self.reports.append((state, use_call))
        self.reported.set()


def _state(start_flag=False):
    return {'host': 'h1', 'start_flag': start_flag}


def test_start_flag_until_a_report_gets_through():
    api = FakeReportsApi(fail=1)
    reporter = state_reporter.StateReporter(api, 'ctx', _state, interval=30)
    reporter.report()
    reporter.report()
    reporter.report()
    assert api.reports == [({'host': 'h1', 'start_flag': True}, True),
                           ({'host': 'h1', 'start_flag': False}, False)]


def test_a_started_reporter_reports_at_once_and_stops():
    api = FakeReportsApi()
    reporter = state_reporter.StateReporter(api, 'ctx', _state, interval=30)
    reporter.start()
    assert api.reported.wait(5)
    reporter.stop()
    reporter._thread.join(5)
    assert not reporter._thread.is_alive()
    assert api.reports == [({'host': 'h1', 'start_flag': True}, True)]


def test_with_on_revived_every_report_is_a_call_and_a_comeback_is_told():
    api = FakeReportsApi()
    revived = []
    reporter = state_reporter.StateReporter(api, 'ctx', _state, interval=30,
                                            on_revived=lambda: revived.append(True))
    reporter.report()
    reporter.report()
    assert [use_call for _state, use_call in api.reports] == [True, True]
    assert revived == []
    api.fail = 2
    reporter.report()
    reporter.report()
    assert revived == []
    reporter.report()
    reporter.report()
    assert revived == [True]
