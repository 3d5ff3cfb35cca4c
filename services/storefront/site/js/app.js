/* CloudKart storefront: the module, its routes, and the $http interceptor that carries the session. */
(function () {
  'use strict';

  var shop = angular.module('cloudkart', ['ngRoute']);
  var NEEDS_LOGIN = 'needs-login';
  // Resolved values are injected into the page's controller, so the key must not shadow a service.
  var signedIn = {
    sessionId: ['$q', 'session', function ($q, session) {
      return session.id() ? session.id() : $q.reject(NEEDS_LOGIN);
    }]
  };

  shop.config(['$routeProvider', '$httpProvider', function ($routeProvider, $httpProvider) {
    $routeProvider
      .when('/', {templateUrl: 'views/catalogue.html', controller: 'CatalogueCtrl', controllerAs: 'vm',
        title: 'Courses', reloadOnSearch: false})
      .when('/product/:sku', {templateUrl: 'views/product.html', controller: 'ProductCtrl', controllerAs: 'vm'})
      .when('/login', {templateUrl: 'views/login.html', controller: 'LoginCtrl', controllerAs: 'vm',
        title: 'Log in'})
      .when('/register', {templateUrl: 'views/register.html', controller: 'RegisterCtrl', controllerAs: 'vm',
        title: 'Create your account'})
      .when('/cart', {templateUrl: 'views/cart.html', controller: 'CartCtrl', controllerAs: 'vm',
        title: 'Your cart', resolve: signedIn})
      .when('/checkout', {templateUrl: 'views/checkout.html', controller: 'CheckoutCtrl', controllerAs: 'vm',
        title: 'Checkout', resolve: signedIn})
      .when('/order/:orderid', {templateUrl: 'views/order.html', controller: 'OrderCtrl', controllerAs: 'vm',
        title: 'Order confirmed', resolve: signedIn})
      .otherwise('/');
    $httpProvider.interceptors.push('sessionInterceptor');
  }]);

  // Every API call carries the session; a 401 means it expired, so the shopper logs in again
  // and comes back to the page they were on.
  shop.factory('sessionInterceptor', ['$q', '$injector', 'session', function ($q, $injector, session) {
    // Their 401 is the answer itself (a wrong password, a session already gone), not a reason to log in.
    var SESSION_CALLS = /^\/api\/user\/(login|register|logout)$/;
    return {
      request: function (config) {
        var id = session.id();
        if (id && config.url.indexOf('/api/') === 0) {
          config.headers['X-Session-Id'] = id;
        }
        return config;
      },
      responseError: function (rejection) {
        var url = (rejection.config && rejection.config.url) || '';
        if (rejection.status === 401 && !SESSION_CALLS.test(url)) {
          var hadSession = Boolean(session.id());
          session.clear();
          // Looked up here: the cart service needs $http, which needs this interceptor.
          $injector.get('cart').forget();
          var $location = $injector.get('$location');
          var here = $location.path();
          if (here !== '/login') {
            $location.url('/login').search({next: here, reason: hadSession ? 'expired' : 'login'});
          }
        }
        return $q.reject(rejection);
      }
    };
  }]);

  shop.run(['$rootScope', '$location', 'cart', 'notice', function ($rootScope, $location, cart, notice) {
    // Pages behind a login fail to resolve without a session; send the shopper to log in first.
    $rootScope.$on('$routeChangeError', function (event, current, previous, reason) {
      if (reason === NEEDS_LOGIN) {
        var wanted = $location.path();
        $location.url('/login').search({next: wanted, reason: 'login'});
      }
    });
    $rootScope.$on('$routeChangeSuccess', function (event, current) {
      // A notice belongs to the page it was shown on.
      notice.clear();
      $rootScope.pageTitle = current && current.$$route ? current.$$route.title : '';
    });
    cart.refresh().catch(angular.noop);
  }]);
})();
