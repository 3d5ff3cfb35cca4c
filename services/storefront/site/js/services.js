/* CloudKart storefront: the session, the API calls, the cart everyone shares, and errors in plain words. */
(function () {
  'use strict';

  var shop = angular.module('cloudkart');

  // Kept in localStorage so a reload or a new tab keeps the shopper logged in.
  shop.factory('session', ['$window', function ($window) {
    var KEY = 'cloudkart.session';
    var current = null;
    try {
      current = JSON.parse($window.localStorage.getItem(KEY));
    } catch (ignored) {
      current = null;
    }
    return {
      id: function () { return current && current.sessionId; },
      user: function () { return current && current.user; },
      save: function (sessionId, user) {
        current = {sessionId: sessionId, user: user};
        $window.localStorage.setItem(KEY, JSON.stringify(current));
      },
      clear: function () {
        current = null;
        $window.localStorage.removeItem(KEY);
      }
    };
  }]);

  // One function per endpoint of the spec, so the pages never build URLs themselves.
  shop.factory('api', ['$http', function ($http) {
    function body(response) { return response.data; }
    function get(url, params) { return $http.get(url, {params: params}).then(body); }
    function post(url, data) { return $http.post(url, data || {}).then(body); }
    function part(text) { return encodeURIComponent(text); }
    return {
      categories: function () { return get('/api/catalogue/categories'); },
      products: function (filter) { return get('/api/catalogue/products', filter); },
      product: function (sku) { return get('/api/catalogue/product/' + part(sku)); },
      register: function (form) { return post('/api/user/register', form); },
      login: function (form) { return post('/api/user/login', form); },
      // The session is passed in: the shopper's copy is already forgotten when the request goes out.
      logout: function (sessionId) {
        return $http.post('/api/user/logout', {}, {headers: {'X-Session-Id': sessionId}}).then(body);
      },
      cart: function () { return get('/api/cart/'); },
      addItem: function (sku, qty) { return post('/api/cart/items', {sku: sku, qty: qty}); },
      updateItem: function (sku, qty) { return post('/api/cart/update', {sku: sku, qty: qty}); },
      chooseShipping: function (cityId) { return post('/api/cart/shipping', {cityId: cityId}); },
      countries: function () { return get('/api/shipping/codes'); },
      matchCities: function (country, prefix) { return get('/api/shipping/match/' + part(country) + '/' + part(prefix)); },
      pay: function (sessionId) { return post('/api/payment/pay/' + part(sessionId)); }
    };
  }]);

  // The cart the header badge, the cart page and checkout all show: one copy, refreshed after each change.
  shop.factory('cart', ['$q', 'api', 'session', function ($q, api, session) {
    var state = {cart: null};
    function keep(cart) {
      state.cart = cart;
      return cart;
    }
    // Not every cart call answers with the cart; then fetch it so the page never shows stale totals.
    function keepOrReload(answer) {
      return answer && angular.isArray(answer.items) ? keep(answer) : api.cart().then(keep);
    }
    return {
      state: state,
      count: function () {
        var items = (state.cart && state.cart.items) || [];
        return items.reduce(function (sum, item) { return sum + item.qty; }, 0);
      },
      refresh: function () {
        if (!session.id()) {
          return $q.resolve(keep(null));
        }
        return api.cart().then(keep);
      },
      add: function (sku, qty) { return api.addItem(sku, qty).then(keepOrReload); },
      update: function (sku, qty) { return api.updateItem(sku, qty).then(keepOrReload); },
      ship: function (cityId) { return api.chooseShipping(cityId).then(keepOrReload); },
      forget: function () { keep(null); }
    };
  }]);

  // The API answers {"error": "..."}; anything else (no network, a proxy's page) gets a sentence too.
  shop.factory('apiError', function () {
    return function (rejection, what) {
      var data = rejection && rejection.data;
      if (data && typeof data.error === 'string' && data.error) {
        return data.error.charAt(0).toUpperCase() + data.error.slice(1);
      }
      var status = rejection ? rejection.status : -1;
      if (status <= 0) {
        return 'We could not reach CloudKart. Check your connection and try again.';
      }
      if (status === 429) {
        return 'Too many attempts in a short time. Please wait a moment and try again.';
      }
      if (status >= 502 && status <= 504) {
        return 'The ' + what + ' service is not available right now. Please try again in a minute.';
      }
      return 'Something went wrong with the ' + what + ' (error ' + status + '). Please try again.';
    };
  });

  // Runs a page's request: marks the page busy (its buttons disable, so nothing is sent twice) and
  // puts a failure into words on the page. `done` gets the answer when it succeeds.
  shop.factory('pending', ['apiError', function (apiError) {
    return function (vm, what, promise, done) {
      vm.busy = true;
      vm.error = '';
      return promise.then(function (answer) {
        if (done) {
          done(answer);
        }
      }, function (rejection) {
        vm.error = apiError(rejection, what);
      }).finally(function () {
        vm.busy = false;
      });
    };
  }]);

  // The confirmation page shows what the payment service answered; after a reload only the id is known.
  shop.factory('orders', function () {
    var last = null;
    return {
      remember: function (order) { last = order; },
      find: function (orderid) { return last && last.orderid === orderid ? last : null; }
    };
  });

  // A short message at the top of the page ("Added to your cart").
  shop.factory('notice', ['$timeout', function ($timeout) {
    var state = {text: ''};
    var timer = null;
    return {
      state: state,
      show: function (text) {
        state.text = text;
        $timeout.cancel(timer);
        timer = $timeout(function () { state.text = ''; }, 2600);
      },
      clear: function () {
        $timeout.cancel(timer);
        state.text = '';
      }
    };
  }]);

  // Prices are whole rupees in the catalogue ("₹1,999"); totals with shipping carry paise ("₹2,960.10").
  shop.filter('inr', function () {
    function formatter(digits) {
      return new Intl.NumberFormat('en-IN', {
        style: 'currency', currency: 'INR', minimumFractionDigits: digits, maximumFractionDigits: digits
      });
    }
    var whole = formatter(0);
    var exact = formatter(2);
    return function (value) {
      var number = parseFloat(value);
      if (isNaN(number)) {
        return '';
      }
      return (Number.isInteger(number) ? whole : exact).format(number);
    };
  });
})();
