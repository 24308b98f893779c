// cxx-threads: the C++ thread library on top of pthreads: std::thread with arguments and join,
// std::async (std::launch::async and deferred) and std::future/std::promise, std::packaged_task,
// std::mutex with lock_guard/unique_lock, std::condition_variable with a predicate, an exception
// thrown in a thread and rethrown by future::get (and one carried by std::exception_ptr),
// std::atomic counters and compare_exchange, thread_local objects constructed and destroyed
// once per thread, std::call_once and std::shared_mutex. Threads compute; the main thread
// prints after joining, so the output does not depend on scheduling.
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <numeric>
#include <shared_mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

static std::atomic<int> tl_constructed{0}, tl_destroyed{0};

struct PerThread {
    std::vector<int> seen;
    PerThread() { tl_constructed++; }
    ~PerThread() { tl_destroyed++; }
};
static thread_local PerThread per_thread;

static long sum_range(long from, long to)
{
    long s = 0;
    for (long i = from; i < to; i++) s += i * i % 1009;
    return s;
}

static void threads_and_mutex()
{
    std::mutex m;
    long total = 0;
    std::vector<long> parts(8);
    std::vector<std::thread> ts;
    for (int i = 0; i < 8; i++)
        ts.emplace_back([&, i](long from, long to) {
            long s = sum_range(from, to);
            parts[i] = s;
            std::lock_guard<std::mutex> g(m);
            total += s;
        }, i * 10000L, (i + 1) * 10000L);
    for (auto &t : ts) t.join();
    std::printf("threads: total %ld, single-threaded %ld, parts sum %ld\n", total, sum_range(0, 80000),
                std::accumulate(parts.begin(), parts.end(), 0L));
    std::printf("joinable after join: %d, ids differ: %d\n", ts[0].joinable(),
                std::thread::id() != std::this_thread::get_id());
}

static void async_and_futures()
{
    auto a = std::async(std::launch::async, sum_range, 0, 50000);
    auto d = std::async(std::launch::deferred, [] { return std::this_thread::get_id(); });
    std::printf("async: %ld\n", a.get());
    std::printf("deferred ran on the calling thread: %d\n", d.get() == std::this_thread::get_id());

    std::promise<std::string> p;
    std::future<std::string> f = p.get_future();
    std::thread t([&p] { p.set_value("from a promise"); });
    std::printf("promise: %s\n", f.get().c_str());
    t.join();

    std::packaged_task<int(int, int)> task([](int x, int y) { return x * y; });
    std::future<int> tf = task.get_future();
    std::thread t2(std::move(task), 6, 7);
    t2.join();
    std::printf("packaged_task: %d\n", tf.get());

    std::shared_future<int> sf = std::async(std::launch::async, [] { return 99; }).share();
    std::vector<std::future<int>> readers;
    for (int i = 0; i < 4; i++) readers.push_back(std::async(std::launch::async, [sf, i] { return sf.get() + i; }));
    int rs = 0;
    for (auto &r : readers) rs += r.get();
    std::printf("shared_future read by 4 threads: %d\n", rs);
}

static void exceptions()
{
    auto f = std::async(std::launch::async, []() -> int { throw std::runtime_error("thrown in a thread"); });
    try {
        f.get();
        std::printf("no exception?\n");
    } catch (const std::runtime_error &e) {
        std::printf("future.get rethrew runtime_error: %s\n", e.what());
    }

    std::exception_ptr ep;
    std::thread t([&ep] {
        try {
            throw std::out_of_range("index 12");
        } catch (...) {
            ep = std::current_exception();
        }
    });
    t.join();
    try {
        std::rethrow_exception(ep);
    } catch (const std::out_of_range &e) {
        std::printf("exception_ptr carried out_of_range: %s\n", e.what());
    }

    std::promise<int> p;
    auto pf = p.get_future();
    std::thread t2([&p] { p.set_exception(std::make_exception_ptr(std::logic_error("set_exception"))); });
    t2.join();
    try {
        pf.get();
    } catch (const std::logic_error &e) {
        std::printf("promise exception: %s\n", e.what());
    }

    auto bf = std::make_unique<std::promise<int>>();
    auto bfut = bf->get_future();
    std::thread t3([&bf] { bf.reset(); });
    t3.join();
    try {
        bfut.get();
    } catch (const std::future_error &e) {
        std::printf("abandoned promise: broken_promise %d\n", e.code() == std::future_errc::broken_promise);
    }
}

static void condition_variable_queue()
{
    std::mutex m;
    std::condition_variable cv;
    std::deque<int> q;
    bool finished = false;
    long consumed = 0;
    int count = 0;
    std::thread consumer([&] {
        std::unique_lock<std::mutex> lk(m);
        for (;;) {
            cv.wait(lk, [&] { return !q.empty() || finished; });
            while (!q.empty()) {
                consumed += q.front();
                count++;
                q.pop_front();
            }
            if (finished) break;
        }
    });
    for (int i = 1; i <= 1000; i++) {
        {
            std::lock_guard<std::mutex> g(m);
            q.push_back(i);
        }
        cv.notify_one();
    }
    {
        std::lock_guard<std::mutex> g(m);
        finished = true;
    }
    cv.notify_all();
    consumer.join();
    std::printf("condition_variable queue: %d items, sum %ld\n", count, consumed);
    std::unique_lock<std::mutex> lk(m);
    auto r = cv.wait_for(lk, std::chrono::milliseconds(0));
    std::printf("wait_for(0): %s\n", r == std::cv_status::timeout ? "timeout" : "no_timeout");
}

static void atomics_and_once()
{
    std::atomic<long> counter{0};
    std::atomic<int> cas_wins{0};
    std::atomic<int> flag{0};
    std::once_flag once;
    std::atomic<int> once_runs{0};
    std::vector<std::thread> ts;
    for (int i = 0; i < 6; i++)
        ts.emplace_back([&] {
            for (int k = 0; k < 5000; k++) counter.fetch_add(1, std::memory_order_relaxed);
            int expected = 0;
            if (flag.compare_exchange_strong(expected, 1)) cas_wins++;
            std::call_once(once, [&] { once_runs++; });
            per_thread.seen.push_back(1);
        });
    for (auto &t : ts) t.join();
    std::printf("atomic counter %ld, compare_exchange winners %d, call_once runs %d\n", counter.load(),
                cas_wins.load(), once_runs.load());
    std::printf("thread_local: constructed %d, destroyed %d (main's own not yet)\n", tl_constructed.load(),
                tl_destroyed.load());
    std::printf("lock-free atomic<long>: %d\n", std::atomic<long>{}.is_lock_free());
}

static void shared_mutex_readers()
{
    std::shared_mutex sm;
    long a = 0, b = 0;
    std::atomic<int> torn{0};
    std::vector<std::thread> ts;
    for (int i = 0; i < 4; i++)
        ts.emplace_back([&, i] {
            for (int k = 0; k < 300; k++) {
                if (i == 0) {
                    std::unique_lock<std::shared_mutex> w(sm);
                    a++;
                    std::this_thread::yield();
                    b++;
                } else {
                    std::shared_lock<std::shared_mutex> r(sm);
                    if (a != b) torn++;
                }
            }
        });
    for (auto &t : ts) t.join();
    std::printf("shared_mutex: %ld %ld, torn reads %d\n", a, b, torn.load());
}

int main()
{
    threads_and_mutex();
    async_and_futures();
    exceptions();
    condition_variable_queue();
    atomics_and_once();
    shared_mutex_readers();
    return 0;
}
